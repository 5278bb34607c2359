import { isIP } from 'node:net';

/** Which proxies a service believes about the client's address, as Fastify's `trustProxy` takes it. */
export type TrustProxy = boolean | number | string[];

/** proxy-addr's names for the reserved ranges. */
const RANGE_NAMES: readonly string[] = ['loopback', 'linklocal', 'uniquelocal'];

/** `true`/`false`, a hop count, or a comma-separated list of addresses, CIDRs and range names. */
export function parseTrustProxy(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim().toLowerCase();
  if (text === 'true' || text === 'false') return text === 'true';
  if (/^\d+$/.test(text)) return Number(text);
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

export function isTrustProxy(value: unknown): boolean {
  if (typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0;
  return Array.isArray(value) && value.length > 0 && value.every(isProxyAddress);
}

function isProxyAddress(entry: unknown): boolean {
  if (typeof entry !== 'string') return false;
  if (RANGE_NAMES.includes(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128));
}
