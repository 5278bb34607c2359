import { Transform, Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateBy,
} from 'class-validator';
import { Secret } from './secret.decorator';
import { isTrustProxy, parseTrustProxy, type TrustProxy } from './trust-proxy';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const POSTGRES_URL = /^postgres(ql)?:\/\/\S+$/;
const REDIS_URL = /^rediss?:\/\/\S+$/;

/** Settings every service has. Each app's config class extends this (or `DataServiceConfig`). */
export class ServiceConfig {
  /** May carry a password, hence secret. */
  @Secret()
  @Matches(REDIS_URL, { message: 'must be a redis:// or rediss:// URL' })
  REDIS_URL!: string;

  /** Every Redis key lives under it, so deployments and tests can share a server. */
  @IsString()
  @IsNotEmpty()
  REDIS_KEY_PREFIX = 'sr:';

  /** 0 picks a free port (tests). Decorators run bottom-up: the type check comes first. */
  @Type(() => Number)
  @Min(0, { message: 'must be between 0 and 65535' })
  @Max(65535, { message: 'must be between 0 and 65535' })
  @IsInt({ message: 'must be a whole number' })
  HTTP_PORT = 3000;

  @IsString()
  @IsNotEmpty()
  HTTP_HOST = '0.0.0.0';

  /**
   * When set, Prometheus metrics are served on this port only (`GET /metrics`, on HTTP_HOST), and
   * not on HTTP_PORT; 0 picks a free port (tests). The gateway always sets it: its HTTP port is
   * public. Unset: `/metrics` on HTTP_PORT, for services only the cluster reaches.
   */
  @IsOptional()
  @Type(() => Number)
  @Min(0, { message: 'must be between 0 and 65535' })
  @Max(65535, { message: 'must be between 0 and 65535' })
  @IsInt({ message: 'must be a whole number' })
  METRICS_PORT?: number;

  /**
   * Which proxies' `X-Forwarded-For` (and -Proto, -Host) to believe, so the client address
   * (per-IP rate limits, logs) is the client's and not the proxy's. `false` (default): the
   * connecting peer is the client. A hop count (`1`: one proxy in front, e.g. the Kubernetes
   * ingress controller), or a comma-separated list of proxy addresses and CIDRs
   * (`10.42.0.0/16,loopback`; also `linklocal`, `uniquelocal`): believe only those. `true`
   * believes anyone, so any client can choose its own address: only when nothing but the proxy
   * can reach the service.
   */
  @Transform(({ value }) => parseTrustProxy(value))
  @ValidateBy(
    { name: 'isTrustProxy', validator: { validate: isTrustProxy } },
    { message: 'must be true, false, a hop count or a comma-separated list of IP addresses or CIDRs' },
  )
  TRUST_PROXY: TrustProxy = false;

  @IsIn(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: LogLevel = 'info';

  /**
   * A Streams message its consumer has held this long without finishing (its process died) is
   * taken over by another instance of the service. Lower it only where handlers are short;
   * tests lower it to see a crashed worker's job finish quickly.
   */
  @Type(() => Number)
  @Min(1_000, { message: 'must be at least 1000 (milliseconds)' })
  @IsInt({ message: 'must be a whole number of milliseconds' })
  STREAMS_CLAIM_IDLE_MS = 30_000;

  /**
   * On SIGTERM the service stops taking work and finishes what it has (HTTP requests in flight,
   * running message handlers and their acks) for at most this long, then exits (0 when all
   * finished). Below Kubernetes' default 30 s termination grace period, so the pod is not killed first.
   */
  @Type(() => Number)
  @Min(1_000, { message: 'must be between 1000 and 600000 (milliseconds)' })
  @Max(600_000, { message: 'must be between 1000 and 600000 (milliseconds)' })
  @IsInt({ message: 'must be a whole number of milliseconds' })
  SHUTDOWN_GRACE_MS = 25_000;

  /** Names this instance in logs and metrics; the host name when unset. */
  @IsOptional()
  @IsString()
  SERVICE_INSTANCE?: string;
}

/** Settings of a service that owns a Postgres schema. */
export class DataServiceConfig extends ServiceConfig {
  @Secret()
  @Matches(POSTGRES_URL, { message: 'must be a postgres:// or postgresql:// URL' })
  DATABASE_URL!: string;
}

/** Settings of a one-off database job (migrations): Postgres only, no HTTP, no Redis. */
export class DatabaseJobConfig {
  @Secret()
  @Matches(POSTGRES_URL, { message: 'must be a postgres:// or postgresql:// URL' })
  DATABASE_URL!: string;

  @IsIn(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: LogLevel = 'info';
}
