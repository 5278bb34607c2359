import { EntityManager } from '@mikro-orm/postgresql';
import { Global, Module, type DynamicModule } from '@nestjs/common';
import { parseKeyEncryptionKey, PersonalDataCipher } from '@scriptripper/privacy';
import type { JobsConfig } from '../config';

/**
 * The jobs service's `PersonalDataCipher` (per-user keys in `jobs.user_keys`, sealed with
 * `JOBS_KEY_ENCRYPTION_KEY`), for every slice that puts personal data in events: prompt texts,
 * speaker names, file names. Global, so a slice injects it without importing this module.
 */
@Global()
@Module({})
export class PersonalDataModule {
  static register(config: JobsConfig): DynamicModule {
    const keyEncryptionKey = parseKeyEncryptionKey(config.JOBS_KEY_ENCRYPTION_KEY);
    return {
      module: PersonalDataModule,
      providers: [
        {
          provide: PersonalDataCipher,
          inject: [EntityManager],
          useFactory: (em: EntityManager) => new PersonalDataCipher(em.fork(), keyEncryptionKey),
        },
      ],
      exports: [PersonalDataCipher],
    };
  }
}
