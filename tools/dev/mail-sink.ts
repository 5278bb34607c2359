import { mkdir, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

export interface MailSink {
  /** `smtp://127.0.0.1:<port>`: give it to the auth service as SMTP_URL. */
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * A local SMTP server for development and tests: accepts every mail, without authentication,
 * and writes each one as an .eml file into `folder`, and next to it a .txt copy a person can read
 * in a terminal (the body decoded, so a long sign-in link is one line to copy, not quoted-printable
 * with `=3D` and soft line breaks).
 * Listens on 127.0.0.1 only.
 */
export async function startMailSink(folder: string, port = 0): Promise<MailSink> {
  await mkdir(folder, { recursive: true });
  let count = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        count += 1;
        const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${String(count).padStart(4, '0')}.eml`;
        const raw = Buffer.concat(chunks);
        writeFile(join(folder, name), raw)
          .then(() => writeFile(join(folder, name.replace(/\.eml$/, '.txt')), readableCopyOf(raw)))
          .then(
            () => callback(),
            (error: Error) => callback(error),
          );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: bound } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${bound}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** From, To, Subject and Date of a mail, then its body with quoted-printable decoded. */
function readableCopyOf(raw: Buffer): string {
  const text = raw.toString('utf8');
  const split = /\r?\n\r?\n/.exec(text);
  const head = split ? text.slice(0, split.index) : text;
  const body = split ? text.slice(split.index + split[0].length) : '';
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const header = (name: string) => new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(unfolded)?.[1]?.trim();
  const quotedPrintable = /^quoted-printable$/i.test(header('Content-Transfer-Encoding') ?? '');
  const shown = ['From', 'To', 'Subject', 'Date'].flatMap((name) => {
    const value = header(name);
    return value === undefined ? [] : [`${name}: ${value}`];
  });
  const decoded = quotedPrintable ? decodeQuotedPrintable(body) : body;
  return `${shown.join('\n')}\n\n${decoded.replace(/\r\n/g, '\n')}`;
}

/** Soft line breaks joined, `=XX` escapes turned back into their bytes (UTF-8 text). */
function decodeQuotedPrintable(body: string): string {
  const joined = body.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let index = 0; index < joined.length; index++) {
    const escape = /^=([0-9A-Fa-f]{2})/.exec(joined.slice(index, index + 3));
    if (escape) {
      bytes.push(parseInt(escape[1] as string, 16));
      index += 2;
    } else {
      bytes.push(...Buffer.from(joined[index] as string, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
