/**
 * Tasks and decisions against hand labels. A predicted item matches a gold item when its
 * evidence turn is within +/- `tolerance` turns of the gold turn; pairs are taken greedily by
 * distance (ties: earlier gold, then earlier prediction) and each item on either side is
 * matched at most once, so a duplicate prediction of one gold item counts as a false positive.
 */

export const TURN_TOLERANCE = 3;

export interface ItemMatch {
  /** Index into the predicted list. */
  readonly predicted: number;
  /** Index into the gold list. */
  readonly gold: number;
}

export function matchItems(
  predictedTurns: readonly number[],
  goldTurns: readonly number[],
  tolerance = TURN_TOLERANCE,
): ItemMatch[] {
  const candidates: (ItemMatch & { distance: number })[] = [];
  predictedTurns.forEach((predictedTurn, predicted) => {
    goldTurns.forEach((goldTurn, gold) => {
      const distance = Math.abs(predictedTurn - goldTurn);
      if (distance <= tolerance) candidates.push({ predicted, gold, distance });
    });
  });
  candidates.sort((a, b) => a.distance - b.distance || a.gold - b.gold || a.predicted - b.predicted);
  const usedPredicted = new Set<number>();
  const usedGold = new Set<number>();
  const matches: ItemMatch[] = [];
  for (const { predicted, gold } of candidates) {
    if (usedPredicted.has(predicted) || usedGold.has(gold)) continue;
    usedPredicted.add(predicted);
    usedGold.add(gold);
    matches.push({ predicted, gold });
  }
  return matches.sort((a, b) => a.gold - b.gold);
}

export interface ItemCounts {
  readonly predicted: number;
  readonly gold: number;
  readonly matched: number;
  /** Matched items whose owner agrees (tasks only). */
  readonly ownersRight: number;
}

export const NO_ITEMS: ItemCounts = { predicted: 0, gold: 0, matched: 0, ownersRight: 0 };

export function addItems(a: ItemCounts, b: ItemCounts): ItemCounts {
  return {
    predicted: a.predicted + b.predicted,
    gold: a.gold + b.gold,
    matched: a.matched + b.matched,
    ownersRight: a.ownersRight + b.ownersRight,
  };
}

export interface ItemScores {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Of matched items, the share with the right owner. */
  readonly ownerAccuracy: number;
}

/** Pooled over meetings: precision = matched / predicted, recall = matched / gold (0 when empty). */
export function itemScores(counts: ItemCounts): ItemScores {
  const precision = counts.predicted === 0 ? 0 : counts.matched / counts.predicted;
  const recall = counts.gold === 0 ? 0 : counts.matched / counts.gold;
  return {
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    ownerAccuracy: counts.matched === 0 ? 0 : counts.ownersRight / counts.matched,
  };
}

/** Owners agree when the names are equal ignoring case and spacing ("all" is the whole team). */
export function sameOwner(predicted: string | null, gold: string): boolean {
  const normal = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase();
  return predicted !== null && normal(predicted) === normal(gold);
}
