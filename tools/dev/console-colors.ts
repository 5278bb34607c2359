const enabled = Boolean(process.stdout.isTTY) && !process.env['NO_COLOR'];
const PALETTE = [36, 32, 33, 35, 34, 91, 96, 92];

/** A distinct color per service in a terminal; plain text when piped (tests, CI, files). */
export function colorFor(index: number): (text: string) => string {
  const code = PALETTE[index % PALETTE.length];
  return (text) => (enabled ? `\u001b[${code}m${text}\u001b[0m` : text);
}

export const dim = (text: string): string => (enabled ? `\u001b[2m${text}\u001b[0m` : text);
