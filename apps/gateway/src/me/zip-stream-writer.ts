import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import { Zip, ZipPassThrough } from 'fflate';

/**
 * A ZIP written as it is produced (fflate), with backpressure: each add waits while the client
 * reads slower than files arrive, so memory stays bounded whatever the export's size. Entries are
 * stored, not deflated: blobs are streamed through, and the gateway's event loop never compresses.
 */
export class ZipStreamWriter {
  readonly output = new PassThrough();
  private readonly zip: Zip;

  constructor(private readonly mtime: Date) {
    this.zip = new Zip((error, chunk, final) => {
      if (error) {
        this.output.destroy(error);
        return;
      }
      this.output.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      if (final) this.output.end();
    });
  }

  async addFile(path: string, content: Buffer | Readable): Promise<void> {
    const file = new ZipPassThrough(path);
    file.mtime = this.mtime;
    this.zip.add(file);
    if (Buffer.isBuffer(content)) {
      file.push(content, true);
      await this.drained();
      return;
    }
    for await (const chunk of content) {
      file.push(chunk as Buffer);
      await this.drained();
    }
    file.push(new Uint8Array(0), true);
  }

  /** Writes the central directory and ends the output. */
  end(): void {
    this.zip.end();
  }

  /** The client's end hung up or the export failed: the ZIP is cut short, never completed wrongly. */
  fail(error: Error): void {
    this.zip.terminate();
    this.output.destroy(error);
  }

  private async drained(): Promise<void> {
    if (this.output.destroyed) throw new Error('the export stream was closed');
    if (this.output.writableNeedDrain) await once(this.output, 'drain');
  }
}
