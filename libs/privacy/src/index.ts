// Personal data encrypted per user, with keys each service keeps in its own schema, and
// crypto-shredding on UserPurged.
import { UserKey } from './user-key.entity';

export { PersonalDataCipher } from './personal-data-cipher';
export { PurgedUserHandler, type RemoveUserReadModels } from './purged-user.handler';
export { open, parseKeyEncryptionKey, seal } from './sealed-box';
export { privacyMigrations, UserKeysMigration } from './user-keys.migration';
export { UserKey };

/** The entities of `privacyMigrations`; add them to the service's ORM entities. */
export const privacyEntities = [UserKey];
