import { createHmac, randomBytes } from 'node:crypto';
import { DomainError, type ResolveDownloadRequest } from '@scriptripper/contracts';
import { DownloadSigner } from './download-signer';
import { isSigningKey, isSigningKeyMap, signingKeysOf } from './signing-keys';

const artifactId = '6f1c1d8e-4b7a-4c55-9d1e-2f3a4b5c6d7e';
const oldKey = randomBytes(32).toString('base64');
const newKey = randomBytes(32).toString('base64');
const start = Date.parse('2026-11-30T12:00:00Z');

function signerAt(
  nowMs: number,
  keys = signingKeysOf({ DOWNLOAD_SIGNING_KEY: oldKey, DOWNLOAD_SIGNING_KEY_ID: 'k1' }),
) {
  return new DownloadSigner(keys, 300, () => nowMs);
}

function requestOf(url: string): ResolveDownloadRequest {
  const parsed = new URL(url, 'http://gateway.test');
  const id = decodeURIComponent(parsed.pathname.split('/').at(-1) ?? '');
  const param = (name: string) => parsed.searchParams.get(name) ?? '';
  return { artifact_id: id, exp: param('exp'), kid: param('kid'), sig: param('sig') };
}

function refusal(signer: DownloadSigner, request: ResolveDownloadRequest) {
  try {
    signer.verify(request);
  } catch (error) {
    if (error instanceof DomainError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('the link was not refused');
}

describe('download URL signing', () => {
  it('signs the artifact id and expiry with the current key and verifies its own URL', () => {
    const signed = signerAt(start).sign(artifactId);
    const request = requestOf(signed.url);

    expect(signed.url).toMatch(
      new RegExp(`^/api/v1/downloads/${artifactId}\\?exp=\\d+&kid=k1&sig=[0-9a-f]{64}$`),
    );
    expect(signed.expires_at).toBe('2026-11-30T12:05:00.000Z');
    expect(request.sig).toBe(
      createHmac('sha256', Buffer.from(oldKey, 'base64'))
        .update(`${artifactId}.${request.exp}`)
        .digest('hex'),
    );
    expect(() => signerAt(start + 299_000).verify(request)).not.toThrow();
  });

  it('refuses a URL whose signature, expiry or artifact was changed', () => {
    const request = requestOf(signerAt(start).sign(artifactId).url);
    const flipped = `${request.sig.slice(0, -1)}${request.sig.endsWith('0') ? '1' : '0'}`;
    const signer = signerAt(start);

    for (const tampered of [
      { ...request, sig: flipped },
      { ...request, exp: String(Number(request.exp) + 3_600) },
      { ...request, artifact_id: '00000000-0000-4000-8000-000000000000' },
      { ...request, sig: request.sig.toUpperCase() },
      { ...request, sig: '' },
      { ...request, exp: '-1' },
    ]) {
      expect(refusal(signer, tampered)).toEqual({
        code: 'FORBIDDEN',
        message: 'this download link is not valid',
      });
    }
  });

  it('refuses a URL once it expired, saying so', () => {
    const request = requestOf(signerAt(start).sign(artifactId).url);

    expect(refusal(signerAt(start + 300_000), request)).toEqual({
      code: 'FORBIDDEN',
      message: 'this download link has expired',
    });
  });

  it('refuses a key id it does not know', () => {
    const request = requestOf(signerAt(start).sign(artifactId).url);

    expect(refusal(signerAt(start), { ...request, kid: 'k9' }).code).toBe('FORBIDDEN');
  });

  it('verifies URLs of a retired key after a rotation and signs new ones with the new key', () => {
    const beforeRotation = requestOf(signerAt(start).sign(artifactId).url);
    const rotated = signingKeysOf({
      DOWNLOAD_SIGNING_KEY: newKey,
      DOWNLOAD_SIGNING_KEY_ID: 'k2',
      DOWNLOAD_SIGNING_PREVIOUS_KEYS: JSON.stringify({ k1: oldKey }),
    });
    const afterRotation = requestOf(signerAt(start, rotated).sign(artifactId).url);

    expect(afterRotation.kid).toBe('k2');
    expect(() => signerAt(start, rotated).verify(beforeRotation)).not.toThrow();
    expect(() => signerAt(start, rotated).verify(afterRotation)).not.toThrow();
    const retiredDropped = signingKeysOf({ DOWNLOAD_SIGNING_KEY: newKey, DOWNLOAD_SIGNING_KEY_ID: 'k2' });
    expect(refusal(signerAt(start, retiredDropped), beforeRotation).code).toBe('FORBIDDEN');
  });

  it('accepts only keys of at least 32 bytes and key maps of such keys', () => {
    expect(isSigningKey(oldKey)).toBe(true);
    expect(isSigningKey(randomBytes(16).toString('base64'))).toBe(false);
    expect(isSigningKey('not base64!')).toBe(false);
    expect(isSigningKeyMap(JSON.stringify({ k1: oldKey }))).toBe(true);
    expect(isSigningKeyMap(JSON.stringify({ 'bad id': oldKey }))).toBe(false);
    expect(isSigningKeyMap(JSON.stringify({ k1: 'c2hvcnQ=' }))).toBe(false);
    expect(isSigningKeyMap('[]')).toBe(false);
    expect(isSigningKeyMap('{')).toBe(false);
  });
});
