import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsString, IsUrl, Matches, Max, Min } from 'class-validator';
import { ServiceConfig } from '@scriptripper/config';

const listOf = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '')
    : value;

/** The gateway service's settings, read from the environment by `loadConfig`. */
export class GatewayConfig extends ServiceConfig {
  /** The gateway's HTTP port is public, so its Prometheus metrics are always on a port of their own. */
  @Type(() => Number)
  @Min(0, { message: 'must be between 0 and 65535' })
  @Max(65535, { message: 'must be between 0 and 65535' })
  @IsInt({ message: 'must be a whole number' })
  override METRICS_PORT = 9464;

  /** Root folder of the shared blob store (content-addressed files). */
  @IsString()
  @IsNotEmpty({ message: 'must name a folder' })
  BLOB_ROOT!: string;

  /** Where clients reach the gateway; OIDC callback URLs are built from it. */
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    { message: 'must be an http(s) URL' },
  )
  PUBLIC_BASE_URL = 'http://localhost:3000';

  /**
   * The web console's static build (index.html and assets/), served at `/`. By default the
   * `web` build beside the built gateway (dist/apps/web); the gateway runs without it.
   */
  @IsString()
  @IsNotEmpty({ message: 'must name a folder' })
  CONSOLE_DIR = defaultConsoleDir();

  /**
   * How long the web console's session cookie (its refresh token) is kept: as long as auth's
   * REFRESH_TOKEN_TTL_DAYS, after which the token inside is refused anyway.
   */
  @Type(() => Number)
  @Min(1, { message: 'must be at least 1' })
  @Max(365, { message: 'must be at most 365' })
  @IsInt({ message: 'must be a whole number' })
  SESSION_COOKIE_MAX_AGE_DAYS = 30;

  /** Browser origins allowed by CORS, comma-separated; none by default. */
  @Transform(listOf)
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    { each: true, message: 'must list http(s) origins' },
  )
  CORS_ORIGINS: string[] = [];

  /** Largest JSON body accepted; larger ones answer 413. */
  @Type(() => Number)
  @Min(1_024, { message: 'must be at least 1024' })
  @IsInt({ message: 'must be a whole number' })
  BODY_LIMIT_BYTES = 1_048_576;

  /**
   * Largest transcript accepted by POST /jobs: the uploaded file (multipart) or the whole JSON
   * body on that route only; larger ones answer 413.
   */
  @Type(() => Number)
  @Min(1_024, { message: 'must be at least 1024' })
  @IsInt({ message: 'must be a whole number' })
  UPLOAD_LIMIT_BYTES = 20_971_520;

  /** Transcripts one POST /jobs/batch may hold; more answer 400. */
  @Type(() => Number)
  @Min(1, { message: 'must be at least 1' })
  @IsInt({ message: 'must be a whole number' })
  BATCH_MAX_ITEMS = 100;

  /** All files of one multipart POST /jobs/batch together (each within UPLOAD_LIMIT_BYTES too); more: 413. */
  @Type(() => Number)
  @Min(1_024, { message: 'must be at least 1024' })
  @IsInt({ message: 'must be a whole number' })
  BATCH_LIMIT_BYTES = 104_857_600;

  /** A job's Server-Sent Events stream sends a comment this often, so proxies keep it open. */
  @Type(() => Number)
  @Min(100, { message: 'must be at least 100' })
  @IsInt({ message: 'must be a whole number' })
  SSE_HEARTBEAT_MS = 15_000;

  /** How long a call to a service may take before the client gets 503 RPC_TIMEOUT. */
  @Type(() => Number)
  @Min(100, { message: 'must be at least 100' })
  @IsInt({ message: 'must be a whole number' })
  RPC_TIMEOUT_MS = 10_000;

  /** Rate limits count requests in fixed windows of this length. */
  @Type(() => Number)
  @Min(1_000, { message: 'must be at least 1000' })
  @IsInt({ message: 'must be a whole number' })
  RATE_LIMIT_WINDOW_MS = 60_000;

  /** Requests per window per client IP on public routes. */
  @Type(() => Number)
  @Min(1, { message: 'must be at least 1' })
  @IsInt({ message: 'must be a whole number' })
  RATE_LIMIT_PUBLIC = 120;

  /** Requests per window per signed-in user. */
  @Type(() => Number)
  @Min(1, { message: 'must be at least 1' })
  @IsInt({ message: 'must be a whole number' })
  RATE_LIMIT_USER = 600;

  /** Magic-link requests and verifications per window per client IP: the guessable door. */
  @Type(() => Number)
  @Min(1, { message: 'must be at least 1' })
  @IsInt({ message: 'must be a whole number' })
  RATE_LIMIT_SIGN_IN = 10;

  /**
   * Failed authentications (401) per window per client IP, against guessing tokens; past it,
   * authenticated routes answer that IP 429 without looking at its token until the window ends.
   */
  @Type(() => Number)
  @Min(1, { message: 'must be at least 1' })
  @IsInt({ message: 'must be a whole number' })
  RATE_LIMIT_AUTH_FAILURES = 30;

  /** Answers of AuthRpc.verifyApiToken are reused this long at most, so a revocation bites within it. */
  @Type(() => Number)
  @Min(0, { message: 'must be between 0 and 5000' })
  @Max(5_000, { message: 'must be between 0 and 5000' })
  @IsInt({ message: 'must be a whole number' })
  API_TOKEN_CACHE_MS = 5_000;

  /** A token with an unknown key id refetches the JWKS, at most once per this interval. */
  @Type(() => Number)
  @Min(100, { message: 'must be at least 100' })
  @IsInt({ message: 'must be a whole number' })
  JWKS_REFETCH_MIN_INTERVAL_MS = 5_000;

  /** The cached JWKS is refreshed after this long, so retired keys drop out. */
  @Type(() => Number)
  @Min(1_000, { message: 'must be at least 1000' })
  @IsInt({ message: 'must be a whole number' })
  JWKS_MAX_AGE_MS = 300_000;

  /** Data services whose audit `GET /audit` merges, comma-separated. */
  @Transform(listOf)
  @Matches(/^[a-z][a-z0-9-]*$/, { each: true, message: 'must list service names' })
  AUDIT_SERVICES: string[] = ['auth', 'profiles', 'jobs', 'artifacts'];
}

/**
 * dist/apps/web beside dist/apps/gateway when the gateway runs built; run from its sources
 * (tests), the workspace's dist/apps/web rather than apps/web, which holds the console's sources.
 */
function defaultConsoleDir(): string {
  const apps = resolve(__dirname, '../..');
  const workspace = dirname(apps);
  return existsSync(join(workspace, 'nx.json')) ? join(workspace, 'dist/apps/web') : join(apps, 'web');
}
