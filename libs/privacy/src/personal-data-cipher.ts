import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DomainError, ErrorCodes } from '@scriptripper/contracts';
import { open, seal } from './sealed-box';

const PREFIX = 'pd1:';

/**
 * Encrypts personal data per user with a data key kept in the service's own `user_keys`
 * table, wrapped with the service's key-encryption key. Destroying a user's key makes every
 * ciphertext of that user unreadable while the append-only events stay intact.
 *
 * Every method takes an optional EntityManager so it can run inside the caller's transaction
 * (a projection, a purge): its SQL goes through `em.execute`, which joins the EntityManager's
 * transaction (`getConnection().execute` would not, so a rolled-back purge would still have
 * destroyed the key).
 */
export class PersonalDataCipher {
  constructor(
    private readonly em: EntityManager,
    private readonly keyEncryptionKey: Buffer,
  ) {}

  /** `pd1:<base64url>`; creates the user's key on first use. */
  async encrypt(userId: string, plaintext: string, em: EntityManager = this.em): Promise<string> {
    const key = (await this.dataKey(userId, em)) ?? (await this.createKey(userId, em));
    return PREFIX + seal(key, Buffer.from(plaintext, 'utf8'), userId).toString('base64url');
  }

  /** The plaintext, or null once the user's key is destroyed. */
  async decrypt(userId: string, ciphertext: string, em: EntityManager = this.em): Promise<string | null> {
    if (!ciphertext.startsWith(PREFIX)) throw new Error('not a personal-data ciphertext');
    const key = await this.dataKey(userId, em);
    if (!key) return null;
    try {
      return open(key, Buffer.from(ciphertext.slice(PREFIX.length), 'base64url'), userId).toString('utf8');
    } catch {
      // Sealed for another subject or under another key: no retry will open it, so callers
      // (and the transport's retries) must not try again.
      throw new DomainError(
        ErrorCodes.internal,
        'stored personal data cannot be opened with its key (sealed for another subject or key)',
        false,
      );
    }
  }

  /** Crypto-shredding. True when a key was there to destroy. */
  async destroyKey(userId: string, em: EntityManager = this.em): Promise<boolean> {
    const deleted = await em.execute<{ user_id: string }[]>(
      `delete from ${userKeysTable(em)} where user_id = ? returning user_id`,
      [userId],
    );
    return deleted.length > 0;
  }

  private async dataKey(userId: string, em: EntityManager): Promise<Buffer | null> {
    const [row] = await em.execute<{ wrapped_key: Buffer }[]>(
      `select wrapped_key from ${userKeysTable(em)} where user_id = ?`,
      [userId],
    );
    return row ? open(this.keyEncryptionKey, row.wrapped_key, userId) : null;
  }

  /** Two first uses at once agree on one key: the loser reads the winner's. */
  private async createKey(userId: string, em: EntityManager): Promise<Buffer> {
    const wrapped = seal(this.keyEncryptionKey, randomBytes(32), userId);
    await em.execute(
      `insert into ${userKeysTable(em)} (user_id, wrapped_key) values (?, ?) on conflict do nothing`,
      [userId, wrapped],
    );
    const key = await this.dataKey(userId, em);
    if (!key) throw new Error(`the data key of user ${userId} vanished while it was being created`);
    return key;
  }
}

function userKeysTable(em: EntityManager): string {
  const schema = em.config.get('schema');
  return schema ? `"${schema.replace(/"/g, '""')}"."user_keys"` : '"user_keys"';
}
