import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { unzipSync } from 'fflate';
import { ZipStreamWriter } from './zip-stream-writer';

describe('a ZIP written while it is produced', () => {
  it('holds every file added, from buffers and from streams, byte for byte', async () => {
    const zip = new ZipStreamWriter(new Date('2026-01-02T03:04:05.000Z'));
    const read = buffer(zip.output);
    const large = Buffer.alloc(3 * 1024 * 1024, 7);

    await zip.addFile('account.json', Buffer.from('{"id":"u1"}\n'));
    await zip.addFile(
      'jobs/j1/upload/upload.vtt',
      Readable.from([Buffer.from('WEBVTT\n'), Buffer.from('\n')]),
    );
    await zip.addFile(
      'jobs/j1/large.bin',
      Readable.from([large.subarray(0, 1_000_000), large.subarray(1_000_000)]),
    );
    zip.end();

    const files = unzipSync(new Uint8Array(await read));
    expect(Object.keys(files)).toEqual(['account.json', 'jobs/j1/upload/upload.vtt', 'jobs/j1/large.bin']);
    expect(Buffer.from(files['account.json'] as Uint8Array).toString()).toBe('{"id":"u1"}\n');
    expect(Buffer.from(files['jobs/j1/upload/upload.vtt'] as Uint8Array).toString()).toBe('WEBVTT\n\n');
    expect(Buffer.from(files['jobs/j1/large.bin'] as Uint8Array).equals(large)).toBe(true);
  });

  it('cuts the ZIP short when the export fails, so it never reads as complete', async () => {
    const zip = new ZipStreamWriter(new Date());
    const read = buffer(zip.output);

    await zip.addFile('account.json', Buffer.from('{}'));
    zip.fail(new Error('the jobs service did not answer'));

    await expect(read).rejects.toThrow('the jobs service did not answer');
  });

  it('stops adding once the client has gone', async () => {
    const zip = new ZipStreamWriter(new Date());
    zip.output.destroy();

    await expect(zip.addFile('account.json', Buffer.from('{}'))).rejects.toThrow('closed');
  });
});
