import { createHash } from 'node:crypto';
import { zipSync, type Zippable } from 'fflate';
import type { ExportSubjectType } from '@scriptripper/contracts';

/** One file of a job inside an export, by its name in the job's folder. */
export interface ExportJobFile {
  readonly name: string;
  readonly contentType: string;
  readonly content: Buffer;
}
export interface ExportJobFiles {
  readonly jobId: string;
  readonly files: readonly ExportJobFile[];
}

export interface ManifestEntry {
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
}
export interface ExportManifest {
  readonly format: 'scriptripper-export';
  readonly version: 1;
  readonly subject: { readonly type: ExportSubjectType; readonly id: string };
  readonly files: readonly ManifestEntry[];
}

export interface ExportBundle {
  readonly manifest: ExportManifest;
  readonly zip: Buffer;
  readonly json: Buffer;
}

export const MANIFEST_PATH = 'manifest.json';

/**
 * ZIP entries carry a DOS date in local time: a Date built from local fields gives the same
 * bytes on every machine and in every time zone. 1980-01-01 00:00 is the earliest DOS date.
 */
const FIXED_MTIME = () => new Date(1980, 0, 1, 0, 0, 0);

/**
 * The ZIP and the JSON document of an export, byte-identical for the same input: files in
 * the given order (jobs in order, each job's files in order), fixed timestamps, nothing of
 * the export itself (no id, no clock). A job export puts its files at the root; a batch export
 * puts each job's files in a folder named by the job id. `manifest.json` lists every other
 * file's path, sha256 and size; the JSON document holds the same files as text and the manifest.
 */
export function buildExportBundle(
  subject: { readonly type: ExportSubjectType; readonly id: string },
  jobs: readonly ExportJobFiles[],
): ExportBundle {
  const files = jobs.flatMap((job) =>
    job.files.map((file) => ({
      path: subject.type === 'job' ? file.name : `${job.jobId}/${file.name}`,
      contentType: file.contentType,
      content: file.content,
    })),
  );
  const paths = new Set<string>();
  for (const file of files) {
    if (paths.has(file.path) || file.path === MANIFEST_PATH) throw new Error(`${file.path} appears twice`);
    paths.add(file.path);
  }
  const manifest: ExportManifest = {
    format: 'scriptripper-export',
    version: 1,
    subject: { type: subject.type, id: subject.id },
    files: files.map((file) => ({
      path: file.path,
      sha256: sha256(file.content),
      size: file.content.length,
    })),
  };
  const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');

  const entries: Zippable = {};
  for (const file of [...files, { path: MANIFEST_PATH, content: manifestBytes }]) {
    entries[file.path] = [new Uint8Array(file.content), { mtime: FIXED_MTIME(), level: 6 }];
  }
  const zip = Buffer.from(zipSync(entries, { mtime: FIXED_MTIME(), level: 6 }));

  const document = {
    format: manifest.format,
    version: manifest.version,
    subject: manifest.subject,
    manifest,
    files: files.map((file) => ({
      path: file.path,
      content_type: file.contentType,
      content: file.content.toString('utf8'),
    })),
  };
  const json = Buffer.from(`${JSON.stringify(document, null, 2)}\n`, 'utf8');
  return { manifest, zip, json };
}

export function sha256(content: Buffer | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}
