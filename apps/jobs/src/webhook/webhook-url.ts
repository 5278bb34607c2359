import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { invalid } from '@scriptripper/contracts';

const MAX_URL_LENGTH = 2_048;

/**
 * Addresses a webhook may not reach unless WEBHOOK_ALLOW_PRIVATE_NETWORKS is true: this
 * network, private ranges, loopback, link-local (cloud metadata at 169.254.169.254), carrier
 * NAT, benchmarking, multicast and reserved ranges, and their IPv6 counterparts. Without it
 * a user could make the platform call its own internal services (SSRF).
 */
const NON_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

/** True when `address` (IPv4 or IPv6, IPv4-mapped included) is a public unicast address. */
export function isPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address)?.[1];
  if (mapped) return isPublicAddress(mapped);
  const family = isIP(address);
  if (family === 0) return false;
  return !NON_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * The checks that need no network: an absolute http(s) URL without credentials, of bounded
 * length. Answers the normalised URL.
 */
export function parseWebhookUrl(text: unknown): URL {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_URL_LENGTH) {
    throw invalid(`url must be an http or https URL of at most ${MAX_URL_LENGTH} characters`);
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid('url must be an absolute http or https URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalid('url must use http or https');
  }
  if (url.username !== '' || url.password !== '') {
    throw invalid('url must not carry credentials (user:password@); sign deliveries with the secret instead');
  }
  if (url.hostname === '') throw invalid('url must name a host');
  return url;
}

/** The host of a URL as an address when it is one (`[::1]` -> `::1`), else null. */
export function literalAddressOf(url: URL): string | null {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return isIP(host) === 0 ? null : host;
}

/**
 * A URL a webhook may be registered with: parsed as above, and its host resolved, every
 * address it resolves to public (unless private networks are allowed). The dispatcher checks
 * the address again when it connects, so a host that later resolves elsewhere is still refused.
 */
export async function validateWebhookUrl(text: unknown, allowPrivateNetworks: boolean): Promise<string> {
  const url = parseWebhookUrl(text);
  const literal = literalAddressOf(url);
  let addresses: string[];
  if (literal) {
    addresses = [literal];
  } else {
    try {
      addresses = (await lookup(url.hostname, { all: true, verbatim: true })).map((found) => found.address);
    } catch {
      throw invalid(`url's host ${url.hostname} does not resolve`);
    }
  }
  if (!allowPrivateNetworks) {
    const refused = addresses.find((address) => !isPublicAddress(address));
    if (refused !== undefined) {
      throw invalid(`url's host ${url.hostname} is a private, loopback or reserved address (${refused})`);
    }
  }
  return url.toString();
}
