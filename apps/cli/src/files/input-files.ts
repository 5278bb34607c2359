import { stat } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { CliError } from '../cli-error';
import { safeSegment } from './download';

/** An input transcript and the sub-folder of `--out` its results go to. */
export interface InputFile {
  readonly path: string;
  readonly filename: string;
  readonly folder: string;
}

/**
 * Expands the `--in` arguments in-process (the shell may not have: quoted globs, Windows):
 * a plain path must exist and be a file; a glob must match at least one file. Every file
 * once, in the order given (each glob's matches sorted), each with a sub-folder name of its
 * own.
 */
export async function expandInputs(patterns: readonly string[], cwd: string): Promise<InputFile[]> {
  const paths: string[] = [];
  for (const pattern of patterns) {
    if (isDynamicPattern(pattern)) {
      const matches = await glob(pattern, { cwd, absolute: true, onlyFiles: true, dot: false });
      if (matches.length === 0) throw CliError.usage(`--in ${pattern} matches no file`);
      paths.push(...matches.sort());
    } else {
      const path = resolve(cwd, pattern);
      const info = await stat(path).catch(() => undefined);
      if (!info) throw CliError.usage(`--in ${pattern}: no such file`);
      if (!info.isFile())
        throw CliError.usage(`--in ${pattern} is not a file (use a glob such as "${pattern}/*.vtt")`);
      paths.push(path);
    }
  }
  const unique = [...new Set(paths)];
  const folders = new Set<string>();
  return unique.map((path) => {
    const filename = basename(path);
    const folder = uniqueFolder(filename, folders);
    return { path, filename, folder };
  });
}

/** `standup.vtt` -> `standup`; a second `standup.srt` -> `standup-srt`; then `standup-2`, ... */
function uniqueFolder(filename: string, taken: Set<string>): string {
  const extension = extname(filename);
  const stem = safeSegment(extension ? filename.slice(0, -extension.length) : filename) || 'transcript';
  let candidate = stem;
  if (taken.has(candidate) && extension) candidate = `${stem}-${safeSegment(extension.slice(1))}`;
  for (let n = 2; taken.has(candidate); n += 1) candidate = `${stem}-${n}`;
  taken.add(candidate);
  return candidate;
}
