import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { invalid } from '@scriptripper/contracts';

const MAX_URL_LENGTH = 2_048;

/**
 * Addresses a webhook may not reach unless WEBHOOK_ALLOW_PRIVATE_NETWORKS is true. Without it a
 * user could make the platform call its own internal services or the cloud's metadata (SSRF).
 *
 * IPv4: this network, private ranges, loopback, link-local (cloud metadata at 169.254.169.254),
 * carrier NAT, IETF assignments, documentation, the 6to4 relay, benchmarking, multicast, reserved.
 * IPv6 is allow-listed: only global unicast (2000::/3) is public, less its special-purpose blocks,
 * so loopback, IPv4-compatible (::7f00:1), NAT64 (64:ff9b::/96, 64:ff9b:1::/48), site-local
 * (fec0::/10), unique-local, link-local and multicast are all refused; IPv4-mapped addresses
 * (::ffff:a.b.c.d, ::ffff:7f00:1) and 6to4 (2002:AABB:CCDD::) are judged by the IPv4 address they
 * carry.
 */
const NON_PUBLIC_IPV4 = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  NON_PUBLIC_IPV4.addSubnet(network, prefix, 'ipv4');
}

const GLOBAL_UNICAST_IPV6 = new BlockList();
GLOBAL_UNICAST_IPV6.addSubnet('2000::', 3, 'ipv6');

const SPECIAL_PURPOSE_IPV6 = new BlockList();
for (const [network, prefix] of [
  ['2001::', 23], // IETF protocol assignments: Teredo (2001::/32), benchmarking, ORCHID, ...
  ['2001:db8::', 32], // documentation
  ['3fff::', 20], // documentation
] as const) {
  SPECIAL_PURPOSE_IPV6.addSubnet(network, prefix, 'ipv6');
}

/** True when `address` (IPv4 or IPv6 in any notation) is a public unicast address. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !NON_PUBLIC_IPV4.check(address, 'ipv4');
  if (family !== 6) return false;
  const hextets = hextetsOf(address);
  if (hextets === null) return false;
  const carried = (high: number, low: number) => [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
  // ::ffff:a.b.c.d, however written: the IPv4 address is what a connection reaches.
  if (hextets.slice(0, 5).every((hextet) => hextet === 0) && hextets[5] === 0xffff)
    return isPublicAddress(carried(hextets[6] ?? 0, hextets[7] ?? 0));
  // 6to4: 2002:AABB:CCDD::/48 routes to a.b.c.d.
  if (hextets[0] === 0x2002) return isPublicAddress(carried(hextets[1] ?? 0, hextets[2] ?? 0));
  return GLOBAL_UNICAST_IPV6.check(address, 'ipv6') && !SPECIAL_PURPOSE_IPV6.check(address, 'ipv6');
}

/** The eight 16-bit groups of an IPv6 address (`::` expanded, a trailing dotted quad included). */
function hextetsOf(address: string): number[] | null {
  let text = address.toLowerCase().replace(/%.*$/, '');
  const dotted = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const front = groups(head);
  const back = tail === undefined ? [] : groups(tail);
  const missing = 8 - front.length - back.length;
  if (missing < 0 || (tail === undefined && missing !== 0)) return null;
  const all = [...front, ...new Array<number>(missing).fill(0), ...back];
  return all.every((hextet) => Number.isInteger(hextet) && hextet >= 0 && hextet <= 0xffff) ? all : null;
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
