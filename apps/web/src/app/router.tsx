import { createBrowserRouter, Navigate } from 'react-router';
import { RequireSession } from '../session/require-session';
import { AppLayout } from './app-layout';
import { RouteError } from './route-error';

/** Each page is its own chunk, loaded when first visited: the first load stays small. */
export function createAppRouter() {
  return createBrowserRouter([
    {
      path: '/sign-in',
      errorElement: <RouteError />,
      lazy: () => import('../pages/sign-in-page').then((m) => ({ Component: m.SignInPage })),
    },
    {
      path: '/sign-in/verify',
      errorElement: <RouteError />,
      lazy: () => import('../pages/verify-page').then((m) => ({ Component: m.VerifyPage })),
    },
    {
      path: '/',
      errorElement: <RouteError />,
      element: (
        <RequireSession>
          <AppLayout />
        </RequireSession>
      ),
      children: [
        { index: true, element: <Navigate to="/jobs" replace /> },
        { path: 'jobs', lazy: () => import('../pages/jobs-page').then((m) => ({ Component: m.JobsPage })) },
        {
          path: 'jobs/new',
          lazy: () => import('../pages/new-analysis-page').then((m) => ({ Component: m.NewAnalysisPage })),
        },
        {
          path: 'jobs/:jobId',
          lazy: () => import('../pages/job-page').then((m) => ({ Component: m.JobPage })),
        },
        {
          path: 'batches',
          lazy: () => import('../pages/batches-page').then((m) => ({ Component: m.BatchesPage })),
        },
        {
          path: 'batches/:batchId',
          lazy: () => import('../pages/batch-page').then((m) => ({ Component: m.BatchPage })),
        },
        {
          path: 'profiles',
          lazy: () => import('../pages/profiles-page').then((m) => ({ Component: m.ProfilesPage })),
        },
        {
          path: 'profiles/:key',
          lazy: () => import('../pages/profile-page').then((m) => ({ Component: m.ProfilePage })),
        },
        {
          path: 'settings',
          lazy: () => import('../pages/settings-page').then((m) => ({ Component: m.SettingsPage })),
        },
        {
          path: 'admin',
          lazy: () => import('../pages/admin-page').then((m) => ({ Component: m.AdminPage })),
        },
        {
          path: '*',
          lazy: () => import('../pages/not-found-page').then((m) => ({ Component: m.NotFoundPage })),
        },
      ],
    },
  ]);
}
