import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandInputs } from './input-files';

describe('input files', () => {
  let folder: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'scriptripper-inputs-'));
    await mkdir(join(folder, 'a'));
    await mkdir(join(folder, 'b'));
    for (const name of [
      'a/standup.vtt',
      'a/standup.srt',
      'b/standup.vtt',
      'a/.hidden.vtt',
      'b/weird name!.txt',
    ]) {
      await writeFile(join(folder, name), 'x');
    }
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('expands globs in-process, each file once, with a folder name of its own', async () => {
    const inputs = await expandInputs(['a/*.vtt', 'a/*', join(folder, 'b', '*'), 'a/standup.vtt'], folder);

    expect(inputs.map((input) => [input.path.slice(folder.length + 1), input.folder])).toEqual([
      ['a/standup.vtt', 'standup'],
      ['a/standup.srt', 'standup-srt'],
      ['b/standup.vtt', 'standup-vtt'],
      ['b/weird name!.txt', 'weird_name_'],
    ]);
    expect(inputs[3]?.filename).toBe('weird name!.txt');
  });
});
