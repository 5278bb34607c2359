import { ApiError, apiErrorOfResponse } from '../api/api-error';

export type UserRole = 'admin' | 'user';

export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
  role: UserRole;
  created_at: string;
  updated_at: string;
}

/** What the auth routes answer in console mode: the refresh token stays in the httpOnly cookie. */
export interface AccessGrant {
  access_token: string;
  expires_in: number;
  user: SessionUser;
}

export type SessionState =
  | { status: 'restoring' }
  | { status: 'signed-in'; user: SessionUser }
  | { status: 'signed-out'; expired: boolean };

/**
 * Marks a cookie-authenticated request as the console's own: with the Origin check, the
 * gateway's proof that the request is no cross-site forgery.
 */
export const CONSOLE_HEADERS: Readonly<Record<string, string>> = { 'X-ScriptRipper-Client': 'console' };

/** Refresh this long before the access token expires, so no request carries a dying token. */
export const REFRESH_MARGIN_MS = 30_000;

type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/**
 * The browser session. The access token lives only in this object's memory (never in storage,
 * where any script could read it); the refresh token lives only in the httpOnly cookie, which
 * `POST /auth/refresh` rotates. Loading the page restores the session through that cookie.
 * One refresh at a time: concurrent requests wait for the same one.
 */
export class SessionManager {
  private grant: { token: string; expiresAt: number; user: SessionUser } | null = null;
  private state: SessionState = { status: 'restoring' };
  private readonly listeners = new Set<() => void>();
  private refreshing: Promise<boolean> | null = null;

  constructor(
    private readonly fetchFn: FetchLike = (input, init) => fetch(input, init),
    private readonly now: () => number = () => Date.now(),
    readonly apiBase = '/api/v1',
  ) {}

  getState = (): SessionState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** On page load: a still-valid cookie signs the person in without a new link. */
  async restore(): Promise<void> {
    const restored = await this.refresh();
    if (!restored && this.state.status === 'restoring')
      this.setState({ status: 'signed-out', expired: false });
  }

  async requestMagicLink(email: string): Promise<void> {
    const response = await this.fetchFn(`${this.apiBase}/auth/magic-link`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email }),
    });
    if (!response.ok) throw await apiErrorOfResponse(response);
  }

  /** The token of a mail's link, POSTed (a GET of the link by a mail scanner must not use it up). */
  async verifyMagicLink(token: string): Promise<SessionUser> {
    const response = await this.fetchFn(`${this.apiBase}/auth/magic-link/verify`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', ...CONSOLE_HEADERS },
      body: JSON.stringify({ token }),
    });
    if (!response.ok) throw await apiErrorOfResponse(response);
    return this.accept((await response.json()) as AccessGrant);
  }

  /** A valid access token, refreshed shortly before expiry; null once the session is over. */
  async accessToken(): Promise<string | null> {
    if (this.grant && this.grant.expiresAt - REFRESH_MARGIN_MS > this.now()) return this.grant.token;
    return (await this.refresh()) && this.grant ? this.grant.token : null;
  }

  /** Trades the cookie for a new access token (and a rotated cookie); false when it is refused. */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.refreshOnce().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /**
   * A request of the API with the access token. A 401 gets one refresh and one retry: the token
   * may have been revoked or expired in flight. When the refresh is refused too, the session is
   * over and the app returns to sign-in.
   */
  async authorizedFetch(path: string, init: RequestInit = {}): Promise<Response> {
    const token = await this.accessToken();
    if (!token) throw this.expiredError();
    const response = await this.fetchFn(`${this.apiBase}${path}`, withBearer(init, token));
    if (response.status !== 401) return response;
    if (!(await this.refresh()) || !this.grant) throw this.expiredError();
    const retried = await this.fetchFn(`${this.apiBase}${path}`, withBearer(init, this.grant.token));
    if (retried.status === 401) {
      this.end(true);
      throw this.expiredError();
    }
    return retried;
  }

  /** Revokes the refresh family server-side and clears the cookie; signed out here either way. */
  async signOut(): Promise<void> {
    const token = this.grant?.token;
    try {
      await this.fetchFn(`${this.apiBase}/auth/sign-out`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { ...CONSOLE_HEADERS, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      });
    } finally {
      this.end(false);
    }
  }

  /** After the account is deleted: nothing left to sign out of. */
  forget(): void {
    this.end(false);
  }

  private async refreshOnce(): Promise<boolean> {
    let response: Response;
    try {
      response = await this.fetchFn(`${this.apiBase}/auth/refresh`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { ...CONSOLE_HEADERS },
      });
    } catch {
      // Offline for a moment is not signed out: keep what there is, the next request tries again.
      if (this.state.status === 'restoring') this.setState({ status: 'signed-out', expired: false });
      return false;
    }
    if (!response.ok) {
      this.end(this.state.status === 'signed-in');
      return false;
    }
    this.accept((await response.json()) as AccessGrant);
    return true;
  }

  private accept(grant: AccessGrant): SessionUser {
    this.grant = {
      token: grant.access_token,
      expiresAt: this.now() + grant.expires_in * 1000,
      user: grant.user,
    };
    this.setState({ status: 'signed-in', user: grant.user });
    return grant.user;
  }

  private end(expired: boolean): void {
    this.grant = null;
    this.setState({ status: 'signed-out', expired });
  }

  private expiredError(): ApiError {
    return new ApiError(401, 'UNAUTHORIZED', 'Your session has ended. Sign in again.');
  }

  private setState(state: SessionState): void {
    this.state = state;
    for (const listener of this.listeners) listener();
  }
}

function withBearer(init: RequestInit, token: string): RequestInit {
  const headers = new Headers(init.headers);
  headers.set('Authorization', `Bearer ${token}`);
  return { ...init, headers };
}
