import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useServices } from '../app/app-context';
import { PageTitle } from '../components/page-title';
import { ErrorState, Loading } from '../components/states';
import { takeReturnPath } from '../session/return-path';

/**
 * The page a sign-in mail links to. Opening it (a GET, which mail scanners also do) uses
 * nothing up; this page POSTs the token, then goes to where the person was.
 */
export function VerifyPage() {
  const { session } = useServices();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const token = params.get('token');
  const started = useRef<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!token || started.current === token) return;
    started.current = token;
    // The token leaves the address bar (and the history) at once.
    window.history.replaceState(null, '', '/sign-in/verify');
    session.verifyMagicLink(token).then(
      () => navigate(takeReturnPath(), { replace: true }),
      (caught: unknown) => setError(caught),
    );
  }, [token, session, navigate]);

  return (
    <main id="main" className="sign-in">
      <div className="card sign-in-card">
        <p className="brand brand-large">ScriptRipper</p>
        <PageTitle title="Signing you in" />
        {!token && !started.current ? (
          <ErrorState error={new Error('This sign-in link has no token. Ask for a new link.')} />
        ) : error ? (
          <ErrorState error={error} />
        ) : (
          <Loading label="Checking your link" />
        )}
        {error || (!token && !started.current) ? (
          <p>
            <Link to="/sign-in">Ask for a new sign-in link</Link>
          </p>
        ) : null}
      </div>
    </main>
  );
}
