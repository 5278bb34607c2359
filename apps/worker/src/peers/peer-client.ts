import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { lastValueFrom } from 'rxjs';
import { RedisStreamsClient, withContext, type MessageContext } from '@scriptripper/streams';
import { WorkerConfig } from '../config';

/**
 * The worker's calls to jobs, profiles and artifacts over `rpc:<service>`. A refusal comes
 * back as an RpcRemoteError with its code; a missing reply as a retryable RpcTimeoutError.
 */
@Injectable()
export class PeerClient implements OnApplicationShutdown {
  private readonly client: RedisStreamsClient;

  constructor(@Inject(WorkerConfig) config: WorkerConfig) {
    this.client = new RedisStreamsClient({
      redisUrl: config.REDIS_URL,
      keyPrefix: config.REDIS_KEY_PREFIX,
      clientName: 'worker',
    });
  }

  call<T>(pattern: string, data: unknown, context: MessageContext): Promise<T> {
    return lastValueFrom(this.client.send<T>(pattern, withContext(context, data)));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}
