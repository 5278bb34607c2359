import { randomBytes } from 'node:crypto';
import { open, parseKeyEncryptionKey, seal } from './sealed-box';

describe('sealed box', () => {
  const key = randomBytes(32);

  it('opens what it sealed for the same context', () => {
    expect(open(key, seal(key, Buffer.from('secret'), 'user-1'), 'user-1').toString()).toBe('secret');
  });

  it('refuses a box sealed for another context', () => {
    expect(() => open(key, seal(key, Buffer.from('secret'), 'user-1'), 'user-2')).toThrow();
  });

  it('refuses a tampered box', () => {
    const box = seal(key, Buffer.from('secret'), 'user-1');
    box[box.length - 1] ^= 1;
    expect(() => open(key, box, 'user-1')).toThrow();
  });

  it('accepts only a 32-byte key-encryption key', () => {
    expect(parseKeyEncryptionKey(key.toString('base64'))).toEqual(key);
    expect(() => parseKeyEncryptionKey(randomBytes(16).toString('base64'))).toThrow(/32 bytes/);
  });
});
