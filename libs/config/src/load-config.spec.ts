import { IsString } from 'class-validator';
import { ConfigError } from './config-error';
import { loadConfig } from './load-config';
import { isSecret, Secret } from './secret.decorator';
import { DatabaseJobConfig, DataServiceConfig, ServiceConfig } from './service-config';

class ExampleConfig extends DataServiceConfig {
  @Secret()
  @IsString()
  SIGNING_KEY!: string;
}

const validEnv = {
  REDIS_URL: 'redis://127.0.0.1:6379',
  DATABASE_URL: 'postgres://app:hunter2@db:5432/scriptripper',
  SIGNING_KEY: 'k',
};

function configErrorOf(work: () => unknown): ConfigError {
  try {
    work();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('reads settings and applies the defaults of unset ones', () => {
    const config = loadConfig(ExampleConfig, validEnv);

    expect(config).toBeInstanceOf(ExampleConfig);
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.REDIS_KEY_PREFIX).toBe('sr:');
    expect(config.HTTP_PORT).toBe(3000);
    expect(config.HTTP_HOST).toBe('0.0.0.0');
    expect(config.LOG_LEVEL).toBe('info');
    expect(config.SERVICE_INSTANCE).toBeUndefined();
    expect(config.STREAMS_CLAIM_IDLE_MS).toBe(30_000);
  });

  it('converts numbers and treats empty values as unset', () => {
    const config = loadConfig(ServiceConfig, {
      ...validEnv,
      HTTP_PORT: '8081',
      STREAMS_CLAIM_IDLE_MS: '2000',
      REDIS_KEY_PREFIX: '',
    });

    expect(config.HTTP_PORT).toBe(8081);
    expect(config.STREAMS_CLAIM_IDLE_MS).toBe(2_000);
    expect(config.REDIS_KEY_PREFIX).toBe('sr:');
  });

  it('ignores variables the config class does not declare', () => {
    const config = loadConfig(ServiceConfig, { ...validEnv, PATH: '/usr/bin' }) as unknown as Record<
      string,
      unknown
    >;

    expect(config['PATH']).toBeUndefined();
    expect(config['DATABASE_URL']).toBeUndefined();
  });

  it('lists every missing or wrong setting by its variable name at once', () => {
    const error = configErrorOf(() =>
      loadConfig(ExampleConfig, { DATABASE_URL: 'mysql://x', HTTP_PORT: 'eighty', LOG_LEVEL: 'loud' }),
    );

    expect(error.problems.map((problem) => problem.variable).sort()).toEqual([
      'DATABASE_URL',
      'HTTP_PORT',
      'LOG_LEVEL',
      'REDIS_URL',
      'SIGNING_KEY',
    ]);
    expect(error.message).toContain('REDIS_URL: must be a redis:// or rediss:// URL (not set)');
    expect(error.message).toContain('HTTP_PORT: must be a whole number (got "eighty")');
    expect(error.message).toContain(
      'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent',
    );
  });

  it('never prints the value of a secret setting', () => {
    const error = configErrorOf(() =>
      loadConfig(ExampleConfig, { ...validEnv, DATABASE_URL: 'mysql://root:hunter2@db/x', HTTP_PORT: '-1' }),
    );

    expect(error.message).toContain('DATABASE_URL: must be a postgres:// or postgresql:// URL (got ***)');
    expect(error.message).not.toContain('hunter2');
    expect(error.message).toContain('HTTP_PORT');
  });

  it('keeps the secrets a subclass adds out of its base class', () => {
    expect(isSecret(ExampleConfig, 'SIGNING_KEY')).toBe(true);
    expect(isSecret(ExampleConfig, 'DATABASE_URL')).toBe(true);
    expect(isSecret(DataServiceConfig, 'SIGNING_KEY')).toBe(false);
    expect(isSecret(ServiceConfig, 'HTTP_PORT')).toBe(false);
  });

  it('loads a database job config without HTTP or Redis settings', () => {
    const config = loadConfig(DatabaseJobConfig, { DATABASE_URL: validEnv.DATABASE_URL });

    expect(config.DATABASE_URL).toBe(validEnv.DATABASE_URL);
  });
});
