import { BaseRpcContext } from '@nestjs/microservices';
import type { MessageEnvelope } from '@scriptripper/contracts';

export interface StreamMessageInfo {
  /** Stream name without the key prefix. */
  readonly stream: string;
  /** The Redis entry id. */
  readonly messageId: string;
  readonly envelope: MessageEnvelope;
  /** 1 on the first delivery; more on retries and after a crashed consumer. */
  readonly deliveries: number;
}

/** What `@Ctx()` gives a handler: the whole envelope (actor, correlation) and delivery facts. */
export class RedisStreamsContext extends BaseRpcContext<[StreamMessageInfo]> {
  constructor(info: StreamMessageInfo) {
    super([info]);
  }

  getEnvelope(): MessageEnvelope {
    return this.args[0].envelope;
  }

  getStream(): string {
    return this.args[0].stream;
  }

  getMessageId(): string {
    return this.args[0].messageId;
  }

  getDeliveries(): number {
    return this.args[0].deliveries;
  }
}
