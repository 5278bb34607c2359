import { Injectable } from '@nestjs/common';
import type { TokenPair } from '@scriptripper/contracts';
import type { OidcIdentity, OidcSignIn, OidcSignInContext } from '../oidc-sign-in.port';

/**
 * The tests' stand-in for the rest of the auth service: remembers who it signed in and
 * answers a TokenPair that names them, so a test can tell it came from here.
 */
@Injectable()
export class StandInSignIn implements OidcSignIn {
  readonly signedIn: { identity: OidcIdentity; context: OidcSignInContext }[] = [];

  async signIn(identity: OidcIdentity, context: OidcSignInContext): Promise<TokenPair> {
    this.signedIn.push({ identity, context });
    const now = new Date().toISOString();
    return {
      token_type: 'Bearer',
      access_token: `stand-in-access:${identity.provider}:${identity.subject}`,
      expires_in: 900,
      refresh_token: `stand-in-refresh:${identity.email}`,
      user: {
        id: `user:${identity.subject}`,
        email: identity.email,
        name: identity.name,
        role: 'user',
        created_at: now,
        updated_at: now,
      },
    };
  }
}
