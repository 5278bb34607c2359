import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pollUntil } from '../../dev/test-support/node-processes';

/** The body of a quoted-printable mail as text: soft line breaks joined, `=XX` escapes decoded. */
export function decodeQuotedPrintable(text: string): string {
  return text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-Fa-f]{2})/g, (_escape, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Every mail the sink wrote into `folder` that is addressed to `address`, oldest first. */
export async function mailsTo(folder: string, address: string): Promise<string[]> {
  const names = (await readdir(folder)).filter((name) => name.endsWith('.eml')).sort();
  const mails = await Promise.all(names.map((name) => readFile(join(folder, name), 'utf8')));
  const to = new RegExp(`^To:.*\\b${address.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'im');
  return mails.filter((mail) => to.test(mail));
}

/**
 * Waits for the `count`-th mail to `address` and answers the sign-in link in it, as a person
 * would click it (the link opens the console's page on the gateway, /sign-in/verify?token=...).
 */
export async function magicLinkFor(folder: string, address: string, count = 1): Promise<URL> {
  const mail = await pollUntil(`mail number ${count} to ${address}`, async () => {
    const mails = await mailsTo(folder, address);
    return mails.length >= count ? mails[count - 1] : undefined;
  });
  const link = /https?:\/\/\S+\/sign-in\/verify\?token=[A-Za-z0-9_-]+/.exec(decodeQuotedPrintable(mail));
  if (!link) throw new Error(`no sign-in link in the mail to ${address}:\n${mail}`);
  return new URL(link[0]);
}
