/** Redis stream ids are `<ms>-<seq>`; they order numerically, part by part. */
export function compareStreamIds(left: string, right: string): number {
  const [leftMs, leftSeq] = splitId(left);
  const [rightMs, rightSeq] = splitId(right);
  if (leftMs !== rightMs) return leftMs < rightMs ? -1 : 1;
  if (leftSeq !== rightSeq) return leftSeq < rightSeq ? -1 : 1;
  return 0;
}

function splitId(id: string): [bigint, bigint] {
  const match = /^(\d+)-(\d+)$/.exec(id);
  if (!match) throw new Error(`Not a stream id: "${id}"`);
  return [BigInt(match[1] as string), BigInt(match[2] as string)];
}

/** Where one consumer group is on a stream. */
export interface GroupPosition {
  readonly group: string;
  readonly lastDeliveredId: string;
  /** Oldest entry delivered but not acked, or null when nothing is pending. */
  readonly oldestPendingId: string | null;
}

/**
 * The id below which every group is done with the stream: the lowest over all groups of
 * their oldest pending id or, with nothing pending, their last delivered id. Entries below
 * it are acked (or never needed) by everyone, so `XTRIM MINID` may drop them. Null when
 * there is no group, or nothing was delivered yet: such a stream is not trimmed by MINID.
 */
export function trimPointOf(groups: readonly GroupPosition[]): string | null {
  let lowest: string | null = null;
  for (const group of groups) {
    const keepFrom = group.oldestPendingId ?? group.lastDeliveredId;
    if (lowest === null || compareStreamIds(keepFrom, lowest) < 0) lowest = keepFrom;
  }
  return lowest === null || lowest === '0-0' ? null : lowest;
}

/** Flat `[field, value, field, value]` reply -> record. */
export function fieldsToRecord(fields: readonly string[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (let index = 0; index + 1 < fields.length; index += 2) {
    record[fields[index] as string] = fields[index + 1] as string;
  }
  return record;
}
