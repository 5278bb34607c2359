import type Redis from 'ioredis';
import type { ChainableCommander } from 'ioredis';
import type { ErrorBody } from '@scriptripper/contracts';
import { Streams } from '@scriptripper/contracts';
import { fieldsToRecord } from './stream-ids';

/** What the DLQ keeps about a message that could not be processed. */
export interface DeadLetterRecord {
  /** Stream name without the key prefix, e.g. `events:jobs`. */
  readonly stream: string;
  readonly group: string;
  readonly messageId: string;
  readonly consumer: string;
  readonly attempts: number;
  readonly reason: string;
  /** The handler's last error; null when unknown (crashed consumer, malformed, deleted entry). */
  readonly error: ErrorBody | null;
  /** The entry's original fields; null when the entry was gone before anyone read it. */
  readonly fields: Record<string, string> | null;
}

export interface DeadLetter extends DeadLetterRecord {
  /** The id of the entry in `dlq:<stream>`. */
  readonly deadLetterId: string;
  readonly failedAt: string;
}

/** Queues `XADD dlq:<stream>` on a MULTI; the caller adds the XACK after it, so the DLQ write comes first. */
export function addDeadLetter(multi: ChainableCommander, keyPrefix: string, record: DeadLetterRecord): void {
  multi.xadd(
    keyPrefix + Streams.deadLetter(record.stream),
    '*',
    'stream',
    record.stream,
    'group',
    record.group,
    'messageId',
    record.messageId,
    'consumer',
    record.consumer,
    'attempts',
    String(record.attempts),
    'reason',
    record.reason,
    'error',
    record.error ? JSON.stringify(record.error) : '',
    'fields',
    record.fields ? JSON.stringify(record.fields) : '',
    'failedAt',
    new Date().toISOString(),
  );
}

/** Reads and replays `dlq:<stream>`, for operators' tools. */
export class DeadLetters {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  /** Oldest first, from `startId` (exclusive when given). */
  async list(stream: string, count = 100, afterId?: string): Promise<DeadLetter[]> {
    const start = afterId ? `(${afterId}` : '-';
    const entries = await this.redis.xrange(this.dlqKey(stream), start, '+', 'COUNT', count);
    return entries.map(([id, fields]) => toDeadLetter(id, fieldsToRecord(fields)));
  }

  /**
   * Puts the original entry back on its stream (every group on it sees it again, so
   * consumers' inbox dedupe matters) and removes it from the DLQ, atomically.
   * Returns the new entry's id.
   */
  async replay(stream: string, deadLetterId: string): Promise<string> {
    const [entry] = await this.redis.xrange(this.dlqKey(stream), deadLetterId, deadLetterId);
    if (!entry) throw new Error(`No dead letter ${deadLetterId} in ${Streams.deadLetter(stream)}`);
    const letter = toDeadLetter(entry[0], fieldsToRecord(entry[1]));
    if (!letter.fields)
      throw new Error(`Dead letter ${deadLetterId} has no payload to replay (${letter.reason})`);
    const results = await this.redis
      .multi()
      .xadd(this.keyPrefix + stream, '*', ...Object.entries(letter.fields).flat())
      .xdel(this.dlqKey(stream), deadLetterId)
      .exec();
    const added = results?.[0];
    if (!added || added[0]) throw added?.[0] ?? new Error('Replay transaction was aborted');
    return added[1] as string;
  }

  private dlqKey(stream: string): string {
    return this.keyPrefix + Streams.deadLetter(stream);
  }
}

function toDeadLetter(deadLetterId: string, record: Record<string, string>): DeadLetter {
  return {
    deadLetterId,
    stream: record['stream'] ?? '',
    group: record['group'] ?? '',
    messageId: record['messageId'] ?? '',
    consumer: record['consumer'] ?? '',
    attempts: Number(record['attempts'] ?? 0),
    reason: record['reason'] ?? '',
    error: record['error'] ? (JSON.parse(record['error']) as ErrorBody) : null,
    fields: record['fields'] ? (JSON.parse(record['fields']) as Record<string, string>) : null,
    failedAt: record['failedAt'] ?? '',
  };
}
