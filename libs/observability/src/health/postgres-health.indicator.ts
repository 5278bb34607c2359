import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { MikroORM } from '@mikro-orm/core';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';

const QUERY_TIMEOUT_MS = 2_000;

/** Runs `SELECT 1` through the app's MikroORM connection (from `MikroOrmModule.forRoot`). */
@Injectable()
export class PostgresHealthIndicator {
  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(key = 'postgres'): Promise<HealthIndicatorResult> {
    const session = this.indicators.check(key);
    let timer: NodeJS.Timeout | undefined;
    try {
      const orm = this.moduleRef.get(MikroORM, { strict: false });
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${QUERY_TIMEOUT_MS} ms`)),
          QUERY_TIMEOUT_MS,
        );
      });
      await Promise.race([orm.em.getConnection().execute('SELECT 1'), timeout]);
      return session.up();
    } catch (error) {
      return session.down({ message: error instanceof Error ? error.message : String(error) });
    } finally {
      clearTimeout(timer);
    }
  }
}
