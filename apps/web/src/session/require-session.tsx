import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useSessionState } from '../app/app-context';
import { Loading } from '../components/states';
import { rememberReturnPath } from './return-path';

/**
 * The signed-in part of the console. Without a session, to sign-in, remembering this page so
 * signing in (even through a link opened in another tab) comes back to it.
 */
export function RequireSession({ children }: { children: ReactNode }) {
  const state = useSessionState();
  const location = useLocation();
  if (state.status === 'restoring') {
    return (
      <main className="centered" id="main">
        <Loading label="Opening your session" />
      </main>
    );
  }
  if (state.status === 'signed-out') {
    const here = `${location.pathname}${location.search}${location.hash}`;
    rememberReturnPath(here);
    const query = new URLSearchParams({ next: here, ...(state.expired ? { expired: '1' } : {}) });
    return <Navigate to={`/sign-in?${query.toString()}`} replace />;
  }
  return <>{children}</>;
}
