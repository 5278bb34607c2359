import { privacyEntities } from '@scriptripper/privacy';
import { ApiToken } from './api-token/api-token.entity';
import { MagicLink } from './magic-link/magic-link.entity';
import { RefreshToken } from './session/refresh-token.entity';
import { SigningKey } from './signing-key/signing-key.entity';
import { User } from './user/user.entity';

/** Every table of the auth schema besides the event store's. */
export const authEntities = [User, MagicLink, RefreshToken, ApiToken, SigningKey, ...privacyEntities];
