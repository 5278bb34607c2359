/** A stream's last event as an append sees it: its version (0: no events yet) and its hash. */
export interface StreamHead {
  readonly version: number;
  readonly hash: string | null;
}

const DEFAULT_CAPACITY = 10_000;

/**
 * Committed stream heads this process has written or read, so an append that expects version N
 * can chain to N's hash without a round trip to read it. Sound because a committed event never
 * changes (the table refuses UPDATE, DELETE and TRUNCATE): "version N of stream S has hash H"
 * stays true for ever. A writer that has moved the stream on since is still caught by the
 * unique (stream_id, stream_version) constraint. Only ever fed committed rows: a head from a
 * transaction that may still roll back would chain the next append to an event that never was.
 * Bounded: the least recently used streams are forgotten first.
 */
export class KnownStreamHeads {
  private readonly heads = new Map<string, StreamHead>();

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  /** The head at exactly `version`, if known. */
  at(streamId: string, version: number): StreamHead | undefined {
    const head = this.heads.get(streamId);
    if (head?.version !== version) return undefined;
    this.touch(streamId, head);
    return head;
  }

  remember(streamId: string, head: StreamHead): void {
    const known = this.heads.get(streamId);
    // Concurrent appends may report out of order; an older head is still true, just less useful.
    this.touch(streamId, known && known.version > head.version ? known : head);
    if (this.heads.size > this.capacity) {
      const oldest = this.heads.keys().next().value;
      if (oldest !== undefined) this.heads.delete(oldest);
    }
  }

  private touch(streamId: string, head: StreamHead): void {
    // A Map iterates in insertion order, so re-inserting keeps the oldest entry first.
    this.heads.delete(streamId);
    this.heads.set(streamId, head);
  }
}
