import { unzipSync } from 'fflate';
import {
  buildExportBundle,
  MANIFEST_PATH,
  sha256,
  type ExportJobFiles,
  type ExportManifest,
} from './export-bundle';

const file = (name: string, text: string) => ({
  name,
  contentType: name.endsWith('.json') ? 'application/json' : 'text/plain',
  content: Buffer.from(text, 'utf8'),
});
const job = (jobId: string, withTranscript = true): ExportJobFiles => ({
  jobId,
  files: [
    file('results.md', `# Results of ${jobId}\n\nÅsa said: "ship it" ✓\n`),
    file('results.json', JSON.stringify({ summary: `about ${jobId}` })),
    ...(withTranscript
      ? [
          file('transcript.md', '# Transcript\n'),
          file('transcript.vtt', 'WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.000\nhi\n'),
        ]
      : []),
  ],
});
const JOB = '6f1c1e0a-4a8e-4c4b-9a57-3f1d1f0e2a11';
const OTHER = '0b0e8a4e-2d1f-4a55-8f0e-7c6a5d4b3c21';

function unzipped(zip: Buffer): Record<string, Uint8Array> {
  return unzipSync(new Uint8Array(zip));
}

function expectManifestHolds(files: Record<string, Uint8Array>): ExportManifest {
  const manifest = JSON.parse(
    Buffer.from(files[MANIFEST_PATH] as Uint8Array).toString('utf8'),
  ) as ExportManifest;
  expect(Object.keys(files).sort()).toEqual(
    [...manifest.files.map((entry) => entry.path), MANIFEST_PATH].sort(),
  );
  for (const entry of manifest.files) {
    const content = files[entry.path] as Uint8Array;
    expect({ path: entry.path, sha256: sha256(content), size: content.length }).toEqual(entry);
  }
  return manifest;
}

describe('buildExportBundle', () => {
  it('gives byte-identical ZIP and JSON for the same job, built twice', () => {
    const first = buildExportBundle({ type: 'job', id: JOB }, [job(JOB)]);
    const second = buildExportBundle({ type: 'job', id: JOB }, [job(JOB)]);

    expect(sha256(second.zip)).toBe(sha256(first.zip));
    expect(second.json.equals(first.json)).toBe(true);
  });

  it('puts a job export at the root with a manifest whose checksums and sizes match every file', () => {
    const bundle = buildExportBundle({ type: 'job', id: JOB }, [job(JOB)]);
    const files = unzipped(bundle.zip);

    expect(Object.keys(files)).toEqual([
      'results.md',
      'results.json',
      'transcript.md',
      'transcript.vtt',
      'manifest.json',
    ]);
    const manifest = expectManifestHolds(files);
    expect(manifest).toEqual(bundle.manifest);
    expect(manifest.subject).toEqual({ type: 'job', id: JOB });
    expect(Buffer.from(files['results.md'] as Uint8Array).toString('utf8')).toContain('Åsa said');
  });

  it('gives each job of a batch its own folder, in order; a job without transcript holds its results only', () => {
    const bundle = buildExportBundle({ type: 'batch', id: 'batch-1' }, [job(JOB), job(OTHER, false)]);
    const files = unzipped(bundle.zip);

    expect(Object.keys(files)).toEqual([
      `${JOB}/results.md`,
      `${JOB}/results.json`,
      `${JOB}/transcript.md`,
      `${JOB}/transcript.vtt`,
      `${OTHER}/results.md`,
      `${OTHER}/results.json`,
      'manifest.json',
    ]);
    expectManifestHolds(files);
  });

  it('holds the same files and manifest in the JSON document', () => {
    const bundle = buildExportBundle({ type: 'batch', id: 'batch-1' }, [job(JOB), job(OTHER)]);
    const document = JSON.parse(bundle.json.toString('utf8')) as {
      manifest: ExportManifest;
      files: { path: string; content_type: string; content: string }[];
    };

    expect(document.manifest).toEqual(bundle.manifest);
    expect(document.files.map((entry) => entry.path)).toEqual(
      bundle.manifest.files.map((entry) => entry.path),
    );
    for (const [index, entry] of document.files.entries()) {
      const listed = bundle.manifest.files[index];
      expect(sha256(Buffer.from(entry.content, 'utf8'))).toBe(listed?.sha256);
    }
  });

  it('writes the same bytes whatever the time zone of the machine', () => {
    const original = process.env['TZ'];
    try {
      process.env['TZ'] = 'UTC';
      const utc = buildExportBundle({ type: 'job', id: JOB }, [job(JOB)]).zip;
      process.env['TZ'] = 'Pacific/Kiritimati';
      const plus14 = buildExportBundle({ type: 'job', id: JOB }, [job(JOB)]).zip;
      process.env['TZ'] = 'America/Los_Angeles';
      const minus8 = buildExportBundle({ type: 'job', id: JOB }, [job(JOB)]).zip;
      expect(sha256(plus14)).toBe(sha256(utc));
      expect(sha256(minus8)).toBe(sha256(utc));
    } finally {
      if (original === undefined) delete process.env['TZ'];
      else process.env['TZ'] = original;
    }
  });

  it('refuses two files with one path', () => {
    expect(() => buildExportBundle({ type: 'batch', id: 'b' }, [job(JOB), job(JOB)])).toThrow(
      'appears twice',
    );
  });
});
