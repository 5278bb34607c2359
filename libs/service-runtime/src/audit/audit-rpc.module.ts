import { Controller, Inject, Module, type DynamicModule, type Type } from '@nestjs/common';
import { Ctx, MessagePattern, Payload, RpcException } from '@nestjs/microservices';
import { auditRpc, ErrorCodes, type AuditEntry, type AuditQuery, type Page } from '@scriptripper/contracts';
import { EventStore, type HashChainReport } from '@scriptripper/event-store';
import type { RedisStreamsContext } from '@scriptripper/streams';
import { mayReadAudit } from './audit-access';
import { auditPageOf, AuditQueryError, readAllQueryOf } from './audit-query';

/**
 * `<service>.audit.list` and `<service>.audit.verify` on the service's `rpc:<service>`: its event
 * table is its audit. One controller class per service, since Nest reads patterns from decorators.
 * Import `AuditRpcModule.forService('<service>')` after DataServiceModule.
 */
@Module({})
export class AuditRpcModule {
  static forService(service: string): DynamicModule {
    return { module: AuditRpcModule, controllers: [auditControllerFor(service)] };
  }
}

function auditControllerFor(service: string): Type {
  const patterns = auditRpc(service);

  @Controller()
  class AuditController {
    constructor(@Inject(EventStore) private readonly eventStore: EventStore) {}

    @MessagePattern(patterns.list)
    async list(@Payload() query: AuditQuery, @Ctx() ctx: RedisStreamsContext): Promise<Page<AuditEntry>> {
      authorise(ctx);
      let readQuery;
      try {
        readQuery = readAllQueryOf(query ?? {});
      } catch (error) {
        if (!(error instanceof AuditQueryError)) throw error;
        throw new RpcException({
          code: ErrorCodes.validationFailed,
          message: error.message,
          retryable: false,
        });
      }
      return auditPageOf(service, await this.eventStore.readAll(readQuery), readQuery.limit - 1);
    }

    @MessagePattern(patterns.verify)
    verify(@Ctx() ctx: RedisStreamsContext): Promise<HashChainReport> {
      authorise(ctx);
      return this.eventStore.verifyHashChains();
    }
  }
  Object.defineProperty(AuditController, 'name', { value: `${pascal(service)}AuditController` });
  return AuditController;
}

function authorise(ctx: RedisStreamsContext): void {
  if (!mayReadAudit(ctx.getEnvelope().actor)) {
    throw new RpcException({
      code: ErrorCodes.forbidden,
      message: 'the audit is for admins with the audit:read scope',
      retryable: false,
    });
  }
}

function pascal(text: string): string {
  return text.replace(/(^|[-_])(\w)/g, (_match, _sep, letter: string) => letter.toUpperCase());
}
