import { useState, type FormEvent } from 'react';
import { Navigate, useSearchParams } from 'react-router';
import { useServices, useSessionState } from '../app/app-context';
import { PageTitle } from '../components/page-title';
import { ActionError } from '../components/states';
import { rememberReturnPath, safeReturnPath } from '../session/return-path';

/**
 * The OpenID Connect providers the auth service has configured. The API does not list them,
 * so the build is told: `CONSOLE_OIDC_PROVIDERS=google,okta node tools/build/build.mjs`.
 */
const OIDC_PROVIDERS = (import.meta.env['VITE_OIDC_PROVIDERS'] ?? '')
  .split(',')
  .map((name: string) => name.trim())
  .filter((name: string) => /^[a-z0-9-]{1,64}$/.test(name));

function providerName(key: string): string {
  return key.charAt(0).toUpperCase() + key.slice(1);
}

export function SignInPage() {
  const { session } = useServices();
  const state = useSessionState();
  const [params] = useSearchParams();
  const next = safeReturnPath(params.get('next') ?? params.get('return_to'));
  const oidcError = params.get('error');
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
        {oidcError ? (
          <p className="action-error" role="alert">
            {oidcError}
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
        {OIDC_PROVIDERS.length > 0 ? (
          <div className="stack">
            {OIDC_PROVIDERS.map((provider: string) => (
              <a
                key={provider}
                className="button secondary"
                href={`/api/v1/auth/oidc/${provider}/start?${new URLSearchParams({ client: 'console', return_to: next }).toString()}`}
              >
                Sign in with {providerName(provider)}
              </a>
            ))}
          </div>
        ) : null}
      </div>
    </main>
  );
}
