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
   * consumers' inbox dedupe matters) and removes it from the DLQ only once the re-add
   * succeeded: one Lua script, atomic, which stops at a failed XADD before its XDEL (a MULTI
   * would still run the XDEL). Returns the new entry's id.
   */
  async replay(stream: string, deadLetterId: string): Promise<string> {
    const [entry] = await this.redis.xrange(this.dlqKey(stream), deadLetterId, deadLetterId);
    if (!entry) throw new Error(`No dead letter ${deadLetterId} in ${Streams.deadLetter(stream)}`);
    const letter = toDeadLetter(entry[0], fieldsToRecord(entry[1]));
    if (!letter.fields)
      throw new Error(`Dead letter ${deadLetterId} has no payload to replay (${letter.reason})`);
    const added = (await this.redis.eval(
      REPLAY_SCRIPT,
      2,
      this.keyPrefix + stream,
      this.dlqKey(stream),
      deadLetterId,
      ...Object.entries(letter.fields).flat(),
    )) as string | null;
    if (!added) throw new Error(`Dead letter ${deadLetterId} was replayed or removed meanwhile`);
    return added;
  }

  /**
   * Every dead-letter stream under the prefix (by original stream name, sorted) with its
   * length. SCAN, so it is safe on a busy server.
   */
  async streams(): Promise<{ stream: string; count: number }[]> {
    const pattern = `${escapeGlob(this.keyPrefix + Streams.deadLetter(''))}*`;
    const keys = new Set<string>();
    let cursor = '0';
    do {
      const [next, found] = await this.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500, 'TYPE', 'stream');
      cursor = next;
      for (const key of found) keys.add(key);
    } while (cursor !== '0');
    const dlqPrefix = this.keyPrefix + Streams.deadLetter('');
    const names = [...keys].map((key) => key.slice(dlqPrefix.length)).sort();
    return Promise.all(
      names.map(async (stream) => ({ stream, count: await this.redis.xlen(this.dlqKey(stream)) })),
    );
  }

  /** Deletes the given dead letters (operators' purge); returns how many existed. */
  remove(stream: string, deadLetterIds: readonly string[]): Promise<number> {
    if (deadLetterIds.length === 0) return Promise.resolve(0);
    return this.redis.xdel(this.dlqKey(stream), ...deadLetterIds);
  }

  /** Deletes every dead letter recorded before `before` (by its id's time); returns how many. */
  trimBefore(stream: string, before: Date): Promise<number> {
    return this.redis.xtrim(this.dlqKey(stream), 'MINID', `${before.getTime()}-0`);
  }

  private dlqKey(stream: string): string {
    return this.keyPrefix + Streams.deadLetter(stream);
  }
}

/**
 * KEYS: the original stream, the DLQ. ARGV: the dead letter's id, then the entry's fields.
 * Nothing happens when the dead letter is gone (replayed by someone else meanwhile); an XADD
 * error aborts the script before the XDEL.
 */
const REPLAY_SCRIPT = `
if #redis.call('XRANGE', KEYS[2], ARGV[1], ARGV[1]) == 0 then return false end
local added = redis.call('XADD', KEYS[1], '*', unpack(ARGV, 2))
redis.call('XDEL', KEYS[2], ARGV[1])
return added`;

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
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
