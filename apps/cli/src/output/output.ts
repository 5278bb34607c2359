import type { CliIo } from '../cli-io';

/**
 * What a command prints. Results go to stdout: JSON with `--json` (one document, for
 * scripts), text otherwise. Progress and notes go to stderr, so stdout stays parseable.
 */
export class Output {
  constructor(
    private readonly io: CliIo,
    readonly json: boolean,
  ) {}

  /** The command's result: `value` as JSON, or the text `human` writes. */
  result(value: unknown, human: () => void): void {
    if (this.json) this.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    else human();
  }

  line(text = ''): void {
    this.io.stdout.write(`${text}\n`);
  }

  /** A note beside the result (stderr). */
  note(text: string): void {
    this.io.stderr.write(`${text}\n`);
  }

  /** Rows as aligned columns under a header. */
  table(header: readonly string[], rows: readonly (readonly string[])[]): void {
    const widths = header.map((title, column) =>
      Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
    );
    const format = (row: readonly string[]) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
        .join('  ')
        .trimEnd();
    this.line(format(header));
    for (const row of rows) this.line(format(row));
  }

  get stderrIsTty(): boolean {
    return this.io.stderr.isTTY === true;
  }

  get stderr(): NodeJS.WritableStream {
    return this.io.stderr;
  }
}
