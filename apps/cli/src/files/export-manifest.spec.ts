import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { verifyExportJson, verifyExportZip } from './export-manifest';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const entry = (path: string, text: string) => ({ path, sha256: sha256(text), size: Buffer.byteLength(text) });

describe('export manifest checks', () => {
  let folder: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'scriptripper-manifest-'));
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  async function zipOf(files: Record<string, string>): Promise<string> {
    const path = join(folder, 'export.zip');
    const entries = Object.fromEntries(
      Object.entries(files).map(([name, text]) => [name, Buffer.from(text)]),
    );
    await writeFile(path, zipSync(entries));
    return path;
  }

  it('accepts a ZIP whose files are exactly the manifest', async () => {
    const manifest = { files: [entry('a/results.md', '# a\n'), entry('a/results.json', '{}')] };
    const path = await zipOf({
      'a/results.md': '# a\n',
      'a/results.json': '{}',
      'manifest.json': JSON.stringify(manifest),
    });

    expect(await verifyExportZip(path)).toEqual({
      verified: true,
      files: [
        { path: 'a/results.md', verified: true },
        { path: 'a/results.json', verified: true },
      ],
    });
  });

  it('names a changed file, a missing one and one the manifest does not list', async () => {
    const manifest = { files: [entry('results.md', '# a\n'), entry('results.json', '{}')] };
    const path = await zipOf({
      'results.md': '# b\n',
      'extra.txt': 'x',
      'manifest.json': JSON.stringify(manifest),
    });

    const report = await verifyExportZip(path);

    expect(report.verified).toBe(false);
    expect(report.files).toEqual([
      { path: 'results.md', verified: false, problem: `sha256 is ${sha256('# b\n')}` },
      { path: 'results.json', verified: false, problem: 'listed but missing' },
      { path: 'extra.txt', verified: false, problem: 'present but not in the manifest' },
    ]);
  });

  it('refuses what is not a ZIP, or a ZIP without a manifest', async () => {
    const notZip = join(folder, 'not.zip');
    await writeFile(notZip, 'plain text');
    expect(await verifyExportZip(notZip)).toMatchObject({
      verified: false,
      problem: expect.stringContaining('ZIP'),
    });

    expect(await verifyExportZip(await zipOf({ 'results.md': '# a\n' }))).toMatchObject({
      verified: false,
      problem: 'no manifest.json in the archive',
    });
  });

  it('checks the JSON export by the UTF-8 bytes of each file against the manifest', async () => {
    const text = 'Zoë said: “ship it”\n';
    const manifest = { files: [entry('results.md', text)] };
    const path = join(folder, 'export.json');
    await writeFile(path, JSON.stringify({ manifest, files: [{ path: 'results.md', content: text }] }));
    expect(await verifyExportJson(path)).toMatchObject({ verified: true });

    await writeFile(path, JSON.stringify({ manifest, files: [{ path: 'results.md', content: `${text}!` }] }));
    expect(await verifyExportJson(path)).toMatchObject({ verified: false });
  });
});
