import { ConfigError, DataServiceConfig, loadConfig } from '@scriptripper/config';
import { OidcConfig, withOidcSettings } from './oidc.config';
import { oidcProvidersOf } from './oidc-providers';

class ServiceWithOidcConfig extends withOidcSettings(DataServiceConfig) {}

function configErrorOf(work: () => unknown): ConfigError {
  try {
    work();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('OIDC configuration', () => {
  it('configures Google from its own variables, with its issuer by default', () => {
    const config = loadConfig(OidcConfig, {
      OIDC_GOOGLE_CLIENT_ID: 'google-client',
      OIDC_GOOGLE_CLIENT_SECRET: 'google-secret',
    });

    expect([...oidcProvidersOf(config).values()]).toEqual([
      {
        name: 'google',
        issuer: 'https://accounts.google.com',
        clientId: 'google-client',
        clientSecret: 'google-secret',
      },
    ]);
    expect(config.OIDC_DEFAULT_PROVIDER).toBe('google');
    expect(config.OIDC_ATTEMPT_TTL_SECONDS).toBe(600);
  });

  it('adds any issuer from OIDC_PROVIDERS beside Google', () => {
    const config = loadConfig(OidcConfig, {
      OIDC_GOOGLE_CLIENT_ID: 'google-client',
      OIDC_GOOGLE_CLIENT_SECRET: 'google-secret',
      OIDC_PROVIDERS: JSON.stringify({
        'corp-sso': { issuer: 'https://sso.example.com', client_id: 'sr', client_secret: 'corp-secret' },
      }),
    });

    expect(oidcProvidersOf(config).get('corp-sso')).toEqual({
      name: 'corp-sso',
      issuer: 'https://sso.example.com',
      clientId: 'sr',
      clientSecret: 'corp-secret',
    });
    expect([...oidcProvidersOf(config).keys()]).toEqual(['google', 'corp-sso']);
  });

  it('configures no provider when nothing is set', () => {
    expect(oidcProvidersOf(loadConfig(OidcConfig, {})).size).toBe(0);
  });

  it('refuses a Google client id without its secret', () => {
    const error = configErrorOf(() => loadConfig(OidcConfig, { OIDC_GOOGLE_CLIENT_ID: 'google-client' }));

    expect(error.message).toContain('OIDC_GOOGLE_CLIENT_SECRET: must be set with OIDC_GOOGLE_CLIENT_ID');
  });

  it('names the bad entry of OIDC_PROVIDERS and never prints its secrets', () => {
    const error = configErrorOf(() =>
      loadConfig(OidcConfig, {
        OIDC_PROVIDERS: JSON.stringify({
          corp: { issuer: 'ftp://x', client_id: 'sr', client_secret: 'hunter2' },
        }),
      }),
    );

    expect(error.message).toContain('OIDC_PROVIDERS: OIDC_PROVIDERS.corp.issuer must be an http(s) URL');
    expect(error.message).not.toContain('hunter2');
  });

  it('refuses OIDC_PROVIDERS that is not a JSON object', () => {
    const error = configErrorOf(() => loadConfig(OidcConfig, { OIDC_PROVIDERS: '[1, 2]' }));

    expect(error.message).toContain('OIDC_PROVIDERS: must be a JSON object (got ***)');
  });

  it("adds the settings to a service's own config class, keeping its secrets secret", () => {
    const error = configErrorOf(() =>
      loadConfig(ServiceWithOidcConfig, {
        REDIS_URL: 'redis://127.0.0.1:6379',
        DATABASE_URL: 'postgres://db/x',
        OIDC_ATTEMPT_TTL_SECONDS: '5',
        OIDC_PROVIDERS: '{"bad name": {}}',
      }),
    );

    expect(error.problems.map((problem) => problem.variable).sort()).toEqual([
      'OIDC_ATTEMPT_TTL_SECONDS',
      'OIDC_PROVIDERS',
    ]);
    expect(error.message).toContain('OIDC_ATTEMPT_TTL_SECONDS: must be between 60 and 3600');
    expect(error.message).toContain('(got ***)');
  });
});
