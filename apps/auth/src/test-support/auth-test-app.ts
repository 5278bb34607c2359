import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { MikroORM } from '@mikro-orm/postgresql';
import { lastValueFrom } from 'rxjs';
import { SMTPServer } from 'smtp-server';
import { loadConfig } from '@scriptripper/config';
import type { Actor, TokenPair } from '@scriptripper/contracts';
import { decodeJwt } from 'jose';
import { schemaDriftSql } from '@scriptripper/event-store';
import { connectStreamsServer } from '@scriptripper/service-runtime';
import { RedisStreamsClient, withContext } from '@scriptripper/streams';
import {
  createTestDatabase,
  deleteKeysWithPrefix,
  testKeyPrefix,
  testRedisUrl,
  type TestDatabase,
} from '@scriptripper/testing';
import { AppModule } from '../app.module';
import { AuthConfig } from '../config';
import { mikroOrmOptions } from '../mikro-orm.config';
import { Clock } from '../shared/clock';

/** A clock the test moves by hand. */
export class SteppingClock extends Clock {
  private offsetMs = 0;

  override now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  /** Back to real time: the store records events at real time, so tests must not leave the clock ahead. */
  reset(): void {
    this.offsetMs = 0;
  }
}

export interface AuthTestApp {
  readonly app: INestApplication;
  readonly clock: SteppingClock;
  readonly config: AuthConfig;
  readonly databaseUrl: string;
  /** The schema drift right after the migrations ran: '' when they match the entities. */
  readonly driftAfterMigrations: string;
  call<T>(pattern: string, data: unknown, actor?: Actor): Promise<T>;
  /** The newest magic link mailed to `email`, waiting for it to arrive. */
  linkTokenFor(email: string, after?: number): Promise<string>;
  mailCount(): Promise<number>;
  close(): Promise<void>;
}

/** The auth service as it runs (AppModule, Streams server, real Postgres, Redis and SMTP), with a steppable clock. */
export async function startAuthTestApp(
  label: string,
  env: Record<string, string> = {},
): Promise<AuthTestApp> {
  const database: TestDatabase = await createTestDatabase(label);
  const redisUrl = testRedisUrl();
  const keyPrefix = testKeyPrefix(label);
  const mails: string[] = [];
  const smtp = await startSmtpServer(mails);
  const config = loadConfig(AuthConfig, {
    DATABASE_URL: database.url,
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: keyPrefix,
    LOG_LEVEL: 'silent',
    AUTH_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    ADMIN_EMAIL: 'Admin@Example.com',
    SMTP_URL: smtp.url,
    PUBLIC_BASE_URL: 'http://gateway.test',
    ...env,
  });

  const options = mikroOrmOptions(config);
  const migrator = await MikroORM.init({ ...options, migrations: { ...options.migrations, silent: true } });
  await migrator.em.getConnection().execute('create schema if not exists auth');
  await migrator.getMigrator().up();
  const driftAfterMigrations = await schemaDriftSql(migrator);
  await migrator.close(true);

  const clock = new SteppingClock();
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.register(config)] })
    .overrideProvider(Clock)
    .useValue(clock)
    .compile();
  const app = moduleRef.createNestApplication(new FastifyAdapter(), { logger: ['error'] });
  await connectStreamsServer(app, { redisUrl, keyPrefix, service: 'auth', streams: [], blockMs: 100 });
  await app.init();
  const client = new RedisStreamsClient({ redisUrl, keyPrefix, clientName: `${label}-test` });

  return {
    app,
    clock,
    config,
    databaseUrl: database.url,
    driftAfterMigrations,
    call: <T>(pattern: string, data: unknown, actor?: Actor) =>
      lastValueFrom(
        client.send<T>(
          pattern,
          withContext({ correlationId: randomUUID(), ...(actor ? { actor } : {}) }, data),
        ),
      ),
    mailCount: async () => mails.length,
    async linkTokenFor(email: string, after = 0) {
      const deadline = Date.now() + 20_000;
      for (;;) {
        for (const raw of mails.slice(after).reverse()) {
          const mail = decodeQuotedPrintable(raw);
          const token = /\/verify\?token=([A-Za-z0-9_-]+)/.exec(mail)?.[1];
          if (token && new RegExp(`^To: ${email}`, 'mi').test(mail)) return token;
        }
        if (Date.now() > deadline) throw new Error(`no sign-in mail for ${email}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async close() {
      await client.close();
      await app.close();
      await smtp.stop();
      await deleteKeysWithPrefix(redisUrl, keyPrefix);
      await database.drop();
    },
  };
}

/** A real SMTP server (smtp-server) keeping every mail in memory; the dev launcher's sink writes files instead. */
async function startSmtpServer(mails: string[]): Promise<{ url: string; stop(): Promise<void> }> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        mails.push(Buffer.concat(chunks).toString('utf8'));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function decodeQuotedPrintable(text: string): string {
  return text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The actor the gateway makes of a sign-in's access token: its claims and its session. */
export function sessionActorOf(pair: TokenPair): Actor {
  const claims = decodeJwt(pair.access_token);
  return {
    id: String(claims.sub),
    role: claims['role'] as Actor['role'],
    scopes: claims['scopes'] as string[],
    credential: { kind: 'session', session_id: String(claims['sid']), issued_at: Number(claims.iat) },
  };
}
