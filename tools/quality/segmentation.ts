/**
 * Topic segmentation scores over a meeting's turns. A segmentation is its boundaries: a
 * boundary `b` says a new segment starts at turn `b` (so 0 < b < turnCount). Pk (Beeferman et
 * al. 1999) and WindowDiff (Pevzner and Hearst 2002) slide a window of k turns over the
 * meeting (turnCount - k positions) and count the windows where the hypothesis disagrees with
 * the reference: Pk on whether both ends lie in one segment, WindowDiff on how many
 * boundaries lie between them. 0 is perfect; lower is better.
 */

/** Inclusive turn indices, as QMSum gives them. */
export interface TurnSpan {
  readonly start: number;
  readonly end: number;
}

/**
 * The reference boundaries of gold topics, each with one or more spans. Each turn belongs to
 * the topic whose span covers it (the later-starting span when two overlap); a turn no span
 * covers belongs to the segment before it, and turns before the first span to the first.
 */
export function goldBoundaries(topics: readonly (readonly TurnSpan[])[], turnCount: number): number[] {
  const topicOfTurn = new Array<number | null>(turnCount).fill(null);
  const spans = topics
    .flatMap((spans, topic) => spans.map((span) => ({ ...span, topic })))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  for (const span of spans) {
    for (let turn = Math.max(0, span.start); turn <= Math.min(turnCount - 1, span.end); turn++) {
      topicOfTurn[turn] = span.topic;
    }
  }
  const first = topicOfTurn.find((topic) => topic !== null) ?? null;
  const boundaries: number[] = [];
  let current = first;
  for (let turn = 0; turn < turnCount; turn++) {
    const topic = topicOfTurn[turn] ?? null;
    if (topic === null || topic === current) continue;
    if (turn > 0) boundaries.push(turn);
    current = topic;
  }
  return boundaries;
}

/** Boundaries as the set of a segmentation: sorted, distinct, strictly inside the meeting. */
export function normalisedBoundaries(turns: readonly number[], turnCount: number): number[] {
  return [...new Set(turns.filter((turn) => turn > 0 && turn < turnCount))].sort((a, b) => a - b);
}

/** `segments - 1` boundaries spread evenly over the meeting: the baseline that knows only the count. */
export function evenBoundaries(turnCount: number, segments: number): number[] {
  const boundaries: number[] = [];
  for (let index = 1; index < segments; index++) boundaries.push(Math.round((index * turnCount) / segments));
  return normalisedBoundaries(boundaries, turnCount);
}

/** k: half the mean reference segment length in turns, at least 1. */
export function windowSizeOf(referenceBoundaries: readonly number[], turnCount: number): number {
  return Math.max(1, Math.round(turnCount / (referenceBoundaries.length + 1) / 2));
}

export function pk(
  reference: readonly number[],
  hypothesis: readonly number[],
  turnCount: number,
  k: number,
): number {
  return windowErrors(turnCount, k, (start, end) => {
    const sameInReference = boundariesBetween(reference, start, end) === 0;
    const sameInHypothesis = boundariesBetween(hypothesis, start, end) === 0;
    return sameInReference !== sameInHypothesis;
  });
}

export function windowDiff(
  reference: readonly number[],
  hypothesis: readonly number[],
  turnCount: number,
  k: number,
): number {
  return windowErrors(
    turnCount,
    k,
    (start, end) => boundariesBetween(reference, start, end) !== boundariesBetween(hypothesis, start, end),
  );
}

/** Share of the windows (turn i against turn i + k) the test finds wrong; 0 when no window fits. */
function windowErrors(turnCount: number, k: number, wrong: (start: number, end: number) => boolean): number {
  const windows = turnCount - k;
  if (windows <= 0) return 0;
  let errors = 0;
  for (let start = 0; start < windows; start++) if (wrong(start, start + k)) errors++;
  return errors / windows;
}

/** Boundaries b with start < b <= end: the segment changes somewhere from turn start to turn end. */
function boundariesBetween(boundaries: readonly number[], start: number, end: number): number {
  let count = 0;
  for (const boundary of boundaries) if (boundary > start && boundary <= end) count++;
  return count;
}
