import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { lastValueFrom } from 'rxjs';
import { ProfilesRpc, type ResolvedProfile, type ResolveProfileRequest } from '@scriptripper/contracts';
import type { AppendContext } from '@scriptripper/event-store';
import { RpcException } from '@nestjs/microservices';
import { RedisStreamsClient, StreamTransportError, withContext } from '@scriptripper/streams';
import { JobsConfig } from '../config';

/**
 * Jobs' client of `rpc:profiles`. It resolves a profile with the requesting user as the actor
 * (passed through, not `service:jobs`), so profiles applies its own rules to that user: only
 * active versions run, and drafts only for profile admins.
 */
@Injectable()
export class ProfilesClient implements OnApplicationShutdown {
  private readonly client: RedisStreamsClient;

  constructor(@Inject(JobsConfig) config: JobsConfig) {
    this.client = new RedisStreamsClient({
      redisUrl: config.REDIS_URL,
      keyPrefix: config.REDIS_KEY_PREFIX,
      clientName: `jobs-${randomUUID().slice(0, 8)}`,
      replyTimeoutMs: config.RPC_TIMEOUT_MS,
    });
  }

  /** A refusal by profiles (NOT_FOUND, CONFLICT for a deprecated version, ...) or a timeout keeps its code. */
  async resolve(request: ResolveProfileRequest, context: AppendContext): Promise<ResolvedProfile> {
    const message = withContext(
      {
        actor: context.actor,
        correlationId: context.correlationId,
        causationId: context.causationId,
        traceparent: context.traceparent,
      },
      request,
    );
    try {
      return await lastValueFrom(this.client.send<ResolvedProfile>(ProfilesRpc.resolve, message));
    } catch (error) {
      if (error instanceof StreamTransportError) throw new RpcException(error.toBody());
      throw error;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}
