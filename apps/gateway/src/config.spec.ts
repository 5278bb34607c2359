import { ConfigError, loadConfig } from '@scriptripper/config';
import { GatewayConfig } from './config';

const required = { REDIS_URL: 'redis://127.0.0.1:6379', BLOB_ROOT: '/srv/blobs' };

describe('GatewayConfig', () => {
  it('has working defaults for every gateway setting', () => {
    const config = loadConfig(GatewayConfig, required);

    expect(config).toMatchObject({
      BODY_LIMIT_BYTES: 1_048_576,
      CORS_ORIGINS: [],
      API_TOKEN_CACHE_MS: 5_000,
      RATE_LIMIT_AUTH_FAILURES: 30,
      TRUST_PROXY: false,
      AUDIT_SERVICES: ['auth', 'profiles', 'jobs', 'artifacts'],
    });
  });

  it('reads CORS origins and audit services as comma-separated lists', () => {
    const config = loadConfig(GatewayConfig, {
      ...required,
      CORS_ORIGINS: 'https://app.example.test, http://localhost:5173',
      AUDIT_SERVICES: 'auth,jobs',
    });

    expect(config.CORS_ORIGINS).toEqual(['https://app.example.test', 'http://localhost:5173']);
    expect(config.AUDIT_SERVICES).toEqual(['auth', 'jobs']);
  });

  it('refuses an origin that is not an http(s) URL and an API token cache longer than 5 s', () => {
    const load = () =>
      loadConfig(GatewayConfig, {
        ...required,
        CORS_ORIGINS: 'app.example.test',
        API_TOKEN_CACHE_MS: '60000',
      });

    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/CORS_ORIGINS: must list http\(s\) origins/);
    expect(load).toThrow(/API_TOKEN_CACHE_MS: must be between 0 and 5000/);
  });
});
