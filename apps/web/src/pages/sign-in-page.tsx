import { useState, type FormEvent } from 'react';
import { Navigate, useSearchParams } from 'react-router';
import { useServices, useSessionState } from '../app/app-context';
import { PageTitle } from '../components/page-title';
import { ActionError } from '../components/states';
import { rememberReturnPath, safeReturnPath } from '../session/return-path';

export function SignInPage() {
  const { session } = useServices();
  const state = useSessionState();
  const [params] = useSearchParams();
  const next = safeReturnPath(params.get('next'));
  const [email, setEmail] = useState('');
  const [sending, setSending] = useState(false);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  if (state.status === 'signed-in') return <Navigate to={next} replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setSending(true);
    try {
      rememberReturnPath(next);
      await session.requestMagicLink(email.trim());
      setSentTo(email.trim());
    } catch (caught) {
      setError(caught);
    } finally {
      setSending(false);
    }
  };

  return (
    <main id="main" className="sign-in">
      <div className="card sign-in-card">
        <p className="brand brand-large">ScriptRipper</p>
        <PageTitle title="Sign in" />
        {params.get('expired') ? (
          <p className="notice" role="status">
            Your session ended. Sign in again to return to the page you were on.
          </p>
        ) : null}
        {sentTo ? (
          <div role="status" className="notice success">
            <p>
              We sent a sign-in link to <strong>{sentTo}</strong>. Open it on this device to continue.
            </p>
            <button type="button" className="button secondary" onClick={() => setSentTo(null)}>
              Use another address
            </button>
          </div>
        ) : (
          <form onSubmit={submit} className="form" noValidate={false}>
            <div className="field">
              <label htmlFor="email">Email</label>
              <input
                id="email"
                name="email"
                type="email"
                autoComplete="email"
                required
                maxLength={320}
                value={email}
                onChange={(event) => setEmail(event.target.value)}
              />
            </div>
            <ActionError error={error} />
            <button type="submit" className="button primary" disabled={sending || !email.trim()}>
              {sending ? 'Sending…' : 'Send sign-in link'}
            </button>
          </form>
        )}
        <p className="hint">No password: we email you a link that signs you in once.</p>
      </div>
    </main>
  );
}
