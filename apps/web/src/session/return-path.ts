// Where to go after signing in: the page the person was on when their session ended. The
// magic link usually opens in a new tab, so it is kept in localStorage (a path, no secret).
const KEY = 'scriptripper.return-to';

/** Only a path of this console: never another origin (no open redirect through the link). */
export function safeReturnPath(path: string | null | undefined): string {
  if (!path || !path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\')) return '/jobs';
  if (path.startsWith('/sign-in')) return '/jobs';
  return path;
}

export function rememberReturnPath(path: string): void {
  try {
    localStorage.setItem(KEY, safeReturnPath(path));
  } catch {
    // Storage may be off; the person lands on the jobs list instead.
  }
}

export function takeReturnPath(): string {
  try {
    const path = localStorage.getItem(KEY);
    localStorage.removeItem(KEY);
    return safeReturnPath(path);
  } catch {
    return '/jobs';
  }
}
