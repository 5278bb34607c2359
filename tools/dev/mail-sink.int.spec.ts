import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport } from 'nodemailer';
import { startMailSink, type MailSink } from './mail-sink';

describe('the mail sink', () => {
  let folder: string;
  let sink: MailSink;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'sr-mail-sink-'));
    sink = await startMailSink(join(folder, 'mail'));
  });

  afterAll(async () => {
    await sink?.stop();
    await rm(folder, { recursive: true, force: true });
  });

  it('writes every mail it receives as an .eml file', async () => {
    const transport = createTransport(sink.url);
    try {
      await transport.sendMail({
        from: 'a@example.com',
        to: 'b@example.com',
        subject: 'hello',
        text: 'first',
      });
      await transport.sendMail({
        from: 'a@example.com',
        to: 'c@example.com',
        subject: 'again',
        text: 'second',
      });
    } finally {
      transport.close();
    }
    const files = (await readdir(join(folder, 'mail'))).sort();
    expect(files).toHaveLength(2);
    expect(files.every((file) => file.endsWith('.eml'))).toBe(true);
    const first = await readFile(join(folder, 'mail', files[0] as string), 'utf8');
    expect(first).toMatch(/Subject: hello/);
    expect(first).toMatch(/To: b@example.com/);
  });
});
