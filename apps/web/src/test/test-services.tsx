import { QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { createMemoryRouter, RouterProvider, type RouteObject } from 'react-router';
import { AppServicesContext, createAppServices, type AppServices } from '../app/app-context';
import { SessionManager } from '../session/session-manager';

export type Handler = (request: { method: string; url: string; body: unknown }) => Response | undefined;

export const jsonResponse = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

export const testUser = {
  id: 'u1',
  email: 'ana@example.com',
  name: null,
  role: 'user' as const,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
};

/**
 * The console's services over a stand-in gateway: each request is answered by the first
 * handler that answers it; the session is signed in from the start.
 */
export async function createTestServices(handler: Handler, role: 'user' | 'admin' = 'user') {
  const requests: { method: string; url: string; body: unknown }[] = [];
  const fetchFn = async (url: string, init?: RequestInit) => {
    const method = init?.method ?? 'GET';
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : init?.body;
    const request = { method, url, body };
    requests.push(request);
    if (url.endsWith('/auth/refresh')) {
      return jsonResponse(200, { access_token: 't', expires_in: 900, user: { ...testUser, role } });
    }
    return (
      handler(request) ??
      jsonResponse(404, { error: { code: 'NOT_FOUND', message: `no ${url}`, retryable: false } })
    );
  };
  const session = new SessionManager(fetchFn);
  await session.restore();
  const services = createAppServices(session);
  services.queryClient.setDefaultOptions({ queries: { retry: false, staleTime: Infinity } });
  return { services, requests };
}

export function renderWithServices(
  services: AppServices,
  element: ReactElement,
  {
    path = '/',
    route = '/',
    extraRoutes = [],
  }: { path?: string; route?: string; extraRoutes?: RouteObject[] } = {},
) {
  const router = createMemoryRouter([{ path, element }, ...extraRoutes], { initialEntries: [route] });
  return {
    router,
    ...render(
      <AppServicesContext.Provider value={services}>
        <QueryClientProvider client={services.queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </AppServicesContext.Provider>,
    ),
  };
}
