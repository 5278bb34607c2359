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
    const mails = files.filter((file) => file.endsWith('.eml'));
    expect(mails).toHaveLength(2);
    const first = await readFile(join(folder, 'mail', mails[0] as string), 'utf8');
    expect(first).toMatch(/Subject: hello/);
    expect(first).toMatch(/To: b@example.com/);
  });

  it('writes next to each .eml a .txt with the body decoded, so a long link is one line to copy', async () => {
    const link = `http://127.0.0.1:3000/api/v1/auth/magic-link/verify?token=${'Ab9_-'.repeat(12)}`;
    const transport = createTransport(sink.url);
    try {
      await transport.sendMail({
        from: 'a@example.com',
        to: 'link@example.com',
        subject: 'Your sign-in link',
        text: `Open this link to sign in, café:\n\n${link}\n\nIt works once.`,
      });
    } finally {
      transport.close();
    }
    const names = await readdir(join(folder, 'mail'));
    const eml = names
      .filter((name) => name.endsWith('.eml'))
      .sort()
      .at(-1) as string;
    const raw = await readFile(join(folder, 'mail', eml), 'utf8');
    expect(raw).toMatch(/quoted-printable/i);
    expect(raw).not.toContain(link);
    const readable = await readFile(join(folder, 'mail', eml.replace(/\.eml$/, '.txt')), 'utf8');
    expect(readable).toContain('To: link@example.com');
    expect(readable).toContain('Subject: Your sign-in link');
    expect(readable).toContain(`\n${link}\n`);
    expect(readable).toContain('café');
  });
});
