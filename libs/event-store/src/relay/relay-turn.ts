/**
 * The advisory-lock key of one relay's turn. The relay takes it (without waiting) for each run;
 * an operator's rewind takes it (waiting), so a run in flight cannot overwrite the rewind.
 */
export function relayTurnKey(schema: string, name: string): string {
  return `outbox-relay:${schema}:${name}`;
}
