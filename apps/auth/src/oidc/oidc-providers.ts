/** One OpenID provider the auth service signs people in with. */
export interface OidcProviderSettings {
  /** The name clients pick it by (`google`, `okta`, ...). */
  readonly name: string;
  /** Discovery starts at `<issuer>/.well-known/openid-configuration`. */
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/** The OIDC settings as the environment gives them (see `OidcConfig`). */
export interface OidcProviderSources {
  readonly OIDC_PROVIDERS?: string;
  readonly OIDC_GOOGLE_CLIENT_ID?: string;
  readonly OIDC_GOOGLE_CLIENT_SECRET?: string;
  readonly OIDC_GOOGLE_ISSUER: string;
}

export const GOOGLE_ISSUER = 'https://accounts.google.com';

const PROVIDER_NAME = /^[a-z0-9][a-z0-9-]{0,31}$/;
const HTTP_URL = /^https?:\/\/\S+$/;

/**
 * The configured providers by name: Google from its own variables when a client id is set,
 * then every entry of `OIDC_PROVIDERS`, a JSON object
 * `{ "<name>": { "issuer": "...", "client_id": "...", "client_secret": "..." } }`
 * (an entry named `google` replaces the Google variables). Throws with a message that
 * names what is wrong, never a secret.
 */
export function oidcProvidersOf(sources: OidcProviderSources): Map<string, OidcProviderSettings> {
  const providers = new Map<string, OidcProviderSettings>();
  if (sources.OIDC_GOOGLE_CLIENT_ID) {
    if (!sources.OIDC_GOOGLE_CLIENT_SECRET) {
      throw new Error('OIDC_GOOGLE_CLIENT_SECRET must be set with OIDC_GOOGLE_CLIENT_ID');
    }
    providers.set('google', {
      name: 'google',
      issuer: sources.OIDC_GOOGLE_ISSUER,
      clientId: sources.OIDC_GOOGLE_CLIENT_ID,
      clientSecret: sources.OIDC_GOOGLE_CLIENT_SECRET,
    });
  }
  for (const provider of oidcProvidersFromJson(sources.OIDC_PROVIDERS))
    providers.set(provider.name, provider);
  return providers;
}

/** The entries of `OIDC_PROVIDERS`; throws naming the first problem, never a value. */
export function oidcProvidersFromJson(json: string | undefined): OidcProviderSettings[] {
  if (json === undefined || json.trim() === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new Error('OIDC_PROVIDERS must be a JSON object');
  }
  if (!isRecord(parsed)) throw new Error('OIDC_PROVIDERS must be a JSON object');
  return Object.entries(parsed).map(([name, entry]) => providerOf(name, entry));
}

function providerOf(name: string, entry: unknown): OidcProviderSettings {
  const where = `OIDC_PROVIDERS.${name}`;
  if (!PROVIDER_NAME.test(name)) {
    throw new Error(`OIDC_PROVIDERS: provider names are lower-case letters, digits and dashes ("${name}")`);
  }
  if (!isRecord(entry)) throw new Error(`${where} must be an object`);
  const { issuer, client_id: clientId, client_secret: clientSecret } = entry;
  if (typeof issuer !== 'string' || !HTTP_URL.test(issuer)) {
    throw new Error(`${where}.issuer must be an http(s) URL`);
  }
  if (typeof clientId !== 'string' || clientId === '') throw new Error(`${where}.client_id must be set`);
  if (typeof clientSecret !== 'string' || clientSecret === '') {
    throw new Error(`${where}.client_secret must be set`);
  }
  return { name, issuer, clientId, clientSecret };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
