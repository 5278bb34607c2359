import { createHmac, timingSafeEqual } from 'node:crypto';
import { forbidden, type ResolveDownloadRequest, type SignedDownload } from '@scriptripper/contracts';
import type { SigningKeys } from './signing-keys';

const EXPIRY = /^\d{1,12}$/;
const SIGNATURE = /^[0-9a-f]{64}$/;

/**
 * Download URLs `/api/v1/downloads/{id}?exp=&kid=&sig=`: `sig` is the hex HMAC-SHA256 of
 * `"{id}.{exp}"` under key `kid`, so a URL is bound to one artifact and one expiry, and a key
 * can rotate while URLs it signed still verify. Every refusal is FORBIDDEN: the signature is
 * the credential, and a link is either good or not (the message tells expired apart).
 */
export class DownloadSigner {
  constructor(
    private readonly keys: SigningKeys,
    private readonly ttlSeconds: number,
    private readonly nowMs: () => number = Date.now,
  ) {}

  sign(artifactId: string): SignedDownload {
    const exp = String(Math.floor(this.nowMs() / 1_000) + this.ttlSeconds);
    const kid = this.keys.currentKeyId;
    const sig = this.signatureOf(artifactId, exp, kid);
    const query = new URLSearchParams({ exp, kid, sig });
    return {
      url: `/api/v1/downloads/${encodeURIComponent(artifactId)}?${query.toString()}`,
      expires_at: new Date(Number(exp) * 1_000).toISOString(),
    };
  }

  /** Throws FORBIDDEN unless the link was signed by a configured key for this artifact and is unexpired. */
  verify(request: ResolveDownloadRequest): void {
    const { artifact_id: artifactId, exp, kid, sig } = request;
    if (typeof exp !== 'string' || !EXPIRY.test(exp)) throw invalidLink();
    if (typeof kid !== 'string' || !this.keys.byId.has(kid)) throw invalidLink();
    if (typeof sig !== 'string' || !SIGNATURE.test(sig)) throw invalidLink();
    const expected = Buffer.from(this.signatureOf(artifactId, exp, kid), 'hex');
    if (!timingSafeEqual(expected, Buffer.from(sig, 'hex'))) throw invalidLink();
    // Checked after the signature, so only a link we issued is told it expired.
    if (Number(exp) * 1_000 <= this.nowMs()) throw forbidden('this download link has expired');
  }

  private signatureOf(artifactId: string, exp: string, kid: string): string {
    const key = this.keys.byId.get(kid);
    if (!key) throw new Error(`no signing key ${kid}`);
    return createHmac('sha256', key).update(`${artifactId}.${exp}`).digest('hex');
  }
}

function invalidLink() {
  return forbidden('this download link is not valid');
}
