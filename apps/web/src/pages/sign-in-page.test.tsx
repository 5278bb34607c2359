import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { AppServicesContext, createAppServices } from '../app/app-context';
import { SessionManager } from '../session/session-manager';
import { jsonResponse } from '../test/test-services';
import { SignInPage } from './sign-in-page';

async function renderSignIn(answer: (body: unknown) => Response, route = '/sign-in') {
  const sent: unknown[] = [];
  const session = new SessionManager(async (url, init) => {
    if (url.endsWith('/auth/refresh'))
      return jsonResponse(401, { error: { code: 'UNAUTHORIZED', message: 'no session', retryable: false } });
    const body = JSON.parse(String(init?.body)) as unknown;
    sent.push(body);
    return answer(body);
  });
  await session.restore();
  const services = createAppServices(session);
  const router = createMemoryRouter([{ path: '/sign-in', element: <SignInPage /> }], {
    initialEntries: [route],
  });
  render(
    <AppServicesContext.Provider value={services}>
      <QueryClientProvider client={services.queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </AppServicesContext.Provider>,
  );
  return sent;
}

describe('Sign in', () => {
  it('sends a link to the address and says so, remembering where to come back to', async () => {
    const user = userEvent.setup();
    const sent = await renderSignIn(
      () => jsonResponse(202, { accepted: true }),
      '/sign-in?next=%2Fjobs%2Fj1',
    );
    await user.type(screen.getByLabelText('Email'), 'ana@example.com');
    await user.click(screen.getByRole('button', { name: 'Send sign-in link' }));
    expect((await screen.findByRole('status')).textContent).toContain(
      'We sent a sign-in link to ana@example.com',
    );
    expect(sent).toEqual([{ email: 'ana@example.com' }]);
    expect(localStorage.getItem('scriptripper.return-to')).toBe('/jobs/j1');
  });

  it("shows the API's refusal as written", async () => {
    const user = userEvent.setup();
    await renderSignIn(() =>
      jsonResponse(429, {
        error: {
          code: 'RATE_LIMITED',
          message: 'too many sign-in links for this address; try again later',
          retryable: true,
        },
      }),
    );
    await user.type(screen.getByLabelText('Email'), 'ana@example.com');
    await user.click(screen.getByRole('button', { name: 'Send sign-in link' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'too many sign-in links for this address; try again later',
    );
  });

  it('never returns to another origin', async () => {
    const user = userEvent.setup();
    await renderSignIn(() => jsonResponse(202, { accepted: true }), '/sign-in?next=%2F%2Fevil.example%2Fx');
    await user.type(screen.getByLabelText('Email'), 'ana@example.com');
    await user.click(screen.getByRole('button', { name: 'Send sign-in link' }));
    await screen.findByRole('status');
    expect(localStorage.getItem('scriptripper.return-to')).toBe('/jobs');
  });
});
