import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { BlobIntegrityError, BlobNotFoundError } from './blob-errors';
import { InvalidBlobIdError } from './blob-ref';
import { LocalBlobStore } from './local-blob-store';

// Disk only (no Postgres or Redis), but it does I/O, so it is in the int tier.
describe('LocalBlobStore', () => {
  let root: string;
  let store: LocalBlobStore;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'sr-blob-store-'));
    store = new LocalBlobStore(root);
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const sha256 = (content: Buffer | string) => createHash('sha256').update(content).digest('hex');

  async function filesUnder(folder: string): Promise<string[]> {
    const entries = await readdir(folder, { recursive: true, withFileTypes: true });
    return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
  }

  it('stores content under its sha256 and reads it back', async () => {
    const content = Buffer.from('Speaker 1: hello\nSpeaker 2: hi\n');

    const ref = await store.put(content);

    const hex = sha256(content);
    expect(ref).toEqual({ uri: `blob://sha256/${hex}`, sha256: hex, size: content.length });
    expect(await filesUnder(root)).toEqual([join(root, hex.slice(0, 2), hex.slice(2, 4), hex)]);
    expect(await store.get(ref)).toEqual(content);
    expect(await store.get(ref.uri)).toEqual(content);
    expect(await store.get(hex)).toEqual(content);
    expect(await store.has(hex)).toBe(true);
    expect(await store.stat(ref.uri)).toEqual(ref);
  });

  it('stores identical content once', async () => {
    const first = await store.put(Buffer.from('same'));
    const second = await store.put(Readable.from([Buffer.from('sa'), Buffer.from('me')]));

    expect(second).toEqual(first);
    expect(await filesUnder(root)).toHaveLength(1);
  });

  it('keeps one intact blob when the same content is put concurrently', async () => {
    const content = Buffer.alloc(256 * 1024, 'x');

    const refs = await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        index % 2 === 0 ? store.put(content) : store.put(Readable.from([content])),
      ),
    );

    expect(new Set(refs.map((ref) => ref.uri)).size).toBe(1);
    expect(await filesUnder(root)).toHaveLength(1);
    expect(await store.get(refs[0] ?? '')).toEqual(content);
  });

  it('streams a large put to disk while hashing it', async () => {
    const chunk = Buffer.alloc(1024 * 1024);
    const chunks = Array.from({ length: 24 }, (_, index) => Buffer.from(chunk.fill(index % 251)));
    const whole = Buffer.concat(chunks);

    const ref = await store.put(Readable.from(chunks));

    expect(ref.sha256).toBe(sha256(whole));
    expect(ref.size).toBe(whole.length);
    expect((await store.get(ref)).equals(whole)).toBe(true);
    expect(await filesUnder(root)).toHaveLength(1);
  });

  it('removes an upload a killed process left unfinished, once it is old enough, and nothing else', async () => {
    const kept = await store.put(Readable.from([Buffer.from('a finished upload')]));
    // A stream that never ends, as an upload whose gateway was killed mid-body.
    const stalled = new Readable({ read: () => undefined });
    stalled.push('the first part of a transcript');
    void store.put(stalled).catch(() => undefined);
    const incoming = join(root, '.incoming');
    for (let tries = 0; (await readdir(incoming).catch(() => [])).length === 0 && tries < 200; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const [abandoned] = await readdir(incoming);
    expect(abandoned).toMatch(/\.tmp$/);

    expect(await store.removeAbandonedWrites(new Date(Date.now() - 60_000))).toBe(0);
    const hourAgo = new Date(Date.now() - 3_600_000);
    await utimes(join(incoming, abandoned ?? ''), hourAgo, hourAgo);
    expect(await store.removeAbandonedWrites(new Date(Date.now() - 60_000))).toBe(1);
    expect(await readdir(incoming)).toEqual([]);
    expect(await store.has(kept.uri)).toBe(true);
    stalled.destroy();
  });

  it('finds nothing to remove in a store that never took an upload', async () => {
    expect(await new LocalBlobStore(join(root, 'empty')).removeAbandonedWrites(new Date())).toBe(0);
  });

  it('streams a blob back', async () => {
    const ref = await store.put(Buffer.from('streamed back'));

    expect(await text(await store.openReadStream(ref))).toBe('streamed back');
  });

  it('refuses to serve a corrupted blob', async () => {
    const ref = await store.put(Buffer.from('original'));
    await writeFile(join(root, ref.sha256.slice(0, 2), ref.sha256.slice(2, 4), ref.sha256), 'tampered');

    await expect(store.get(ref)).rejects.toBeInstanceOf(BlobIntegrityError);
    await expect(text(await store.openReadStream(ref))).rejects.toBeInstanceOf(BlobIntegrityError);
  });

  it('refuses ids that are not a sha256 blob uri, before touching the disk', async () => {
    await expect(store.get('blob://sha256/../../etc/passwd')).rejects.toBeInstanceOf(InvalidBlobIdError);
    await expect(store.delete('../x')).rejects.toBeInstanceOf(InvalidBlobIdError);
    await expect(store.openReadStream('file:///etc/passwd')).rejects.toBeInstanceOf(InvalidBlobIdError);
  });

  it('deletes a blob and reports a missing one as not found', async () => {
    const ref = await store.put(Buffer.from('short-lived'));

    expect(await store.delete(ref)).toBe(true);
    expect(await store.delete(ref)).toBe(false);
    expect(await store.has(ref)).toBe(false);
    expect(await store.stat(ref)).toBeUndefined();
    await expect(store.get(ref)).rejects.toBeInstanceOf(BlobNotFoundError);
    await expect(store.openReadStream(ref)).rejects.toBeInstanceOf(BlobNotFoundError);
  });

  it('tells when a blob was last written, a put of the same content again included', async () => {
    const content = Buffer.from('written twice');
    const ref = await store.put(content);
    const path = join(root, ref.sha256.slice(0, 2), ref.sha256.slice(2, 4), ref.sha256);
    const longAgo = new Date('2020-01-01T00:00:00.000Z');
    await utimes(path, longAgo, longAgo);
    expect(await store.writtenAt(ref)).toEqual(longAgo);

    await store.put(content);
    expect((await store.writtenAt(ref))?.getTime()).toBeGreaterThan(longAgo.getTime());

    await utimes(path, longAgo, longAgo);
    await store.put(Readable.from([content]));
    expect((await store.writtenAt(ref))?.getTime()).toBeGreaterThan(longAgo.getTime());

    await store.delete(ref);
    expect(await store.writtenAt(ref)).toBeUndefined();
  });

  it('leaves no temporary file behind when a streamed put fails', async () => {
    const failing = new Readable({
      read() {
        this.destroy(new Error('client went away'));
      },
    });

    await expect(store.put(failing)).rejects.toThrow('client went away');
    expect(await filesUnder(root)).toEqual([]);
  });
});
