import { useState } from 'react';
import { NavLink, Outlet, useNavigate } from 'react-router';
import { useServices, useSignedInUser } from './app-context';
import { JobEventsProvider, useJobEventsState } from './job-events-provider';

const NAV = [
  { to: '/jobs', label: 'Jobs', end: true },
  { to: '/jobs/new', label: 'New analysis', end: true },
  { to: '/batches', label: 'Batches', end: false },
  { to: '/profiles', label: 'Profiles', end: false },
  { to: '/settings', label: 'Settings', end: false },
] as const;

export function AppLayout() {
  return (
    <JobEventsProvider>
      <Shell />
    </JobEventsProvider>
  );
}

function Shell() {
  const user = useSignedInUser();
  const { session, queryClient } = useServices();
  const navigate = useNavigate();
  const [signingOut, setSigningOut] = useState(false);
  const live = useJobEventsState();

  const signOut = async () => {
    setSigningOut(true);
    try {
      await session.signOut();
    } finally {
      queryClient.clear();
      navigate('/sign-in', { replace: true });
    }
  };

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <NavLink to="/jobs" className="brand">
          ScriptRipper
        </NavLink>
        <nav aria-label="Main" className="main-nav">
          <ul>
            {NAV.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end={item.end}>
                  {item.label}
                </NavLink>
              </li>
            ))}
            {user?.role === 'admin' ? (
              <li>
                <NavLink to="/admin">Admin</NavLink>
              </li>
            ) : null}
          </ul>
        </nav>
        <div className="account">
          <span className={`live-dot live-${live}`} title={liveTitle(live)} aria-hidden="true" />
          <span className="account-email">{user?.email}</span>
          <button type="button" className="button secondary small" onClick={signOut} disabled={signingOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" className="app-main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}

function liveTitle(state: string): string {
  switch (state) {
    case 'live':
      return 'Job status is live';
    case 'unavailable':
      return 'Job status refreshes every few seconds';
    default:
      return 'Connecting to live job status';
  }
}
