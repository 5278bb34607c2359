/**
 * What a person's browser does at the test provider: follows the authorization URL, signs in
 * on oidc-provider's development login form, gives consent, and stops at the redirect back to
 * the app, answering that redirect's query parameters. Plain fetch with a cookie jar.
 */
export async function signInAtProvider(
  authorizationUrl: string,
  login: string,
  redirectUri: string,
): Promise<Record<string, string>> {
  const cookies = new Map<string, string>();
  let request: { url: string; form?: Record<string, string> } = { url: authorizationUrl };

  for (let step = 0; step < 20; step++) {
    if (request.url.startsWith(redirectUri)) {
      return Object.fromEntries(new URL(request.url).searchParams);
    }
    const response = await fetch(request.url, {
      method: request.form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(request.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(request.form ? { body: new URLSearchParams(request.form).toString() } : {}),
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const separator = pair.indexOf('=');
      cookies.set(pair.slice(0, separator), pair.slice(separator + 1));
    }
    const location = response.headers.get('location');
    if (location) {
      request = { url: new URL(location, request.url).toString() };
      continue;
    }
    const page = await response.text();
    if (response.status !== 200) throw new Error(`the provider answered ${response.status}: ${page}`);
    request = { url: formAction(page, request.url), form: formFor(page, login) };
  }
  throw new Error('the provider did not redirect back within 20 steps');
}

function formAction(page: string, pageUrl: string): string {
  const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
  if (!action) throw new Error(`no form on the provider's page: ${page}`);
  return new URL(action.replace(/&amp;/g, '&'), pageUrl).toString();
}

function formFor(page: string, login: string): Record<string, string> {
  if (page.includes('name="prompt" value="login"')) return { prompt: 'login', login, password: 'any' };
  if (page.includes('name="prompt" value="consent"')) return { prompt: 'consent' };
  throw new Error(`an unexpected page at the provider: ${page}`);
}
