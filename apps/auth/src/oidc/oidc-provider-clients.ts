import { Injectable, Logger } from '@nestjs/common';
import { Issuer, type BaseClient } from 'openid-client';
import { OidcErrors } from './oidc-errors';
import type { OidcProviderSettings } from './oidc-providers';

/**
 * The configured providers and their OpenID clients. Discovery runs once per provider and
 * is cached; a failed discovery is forgotten, so the next sign-in tries again.
 */
@Injectable()
export class OidcProviderClients {
  private readonly log = new Logger(OidcProviderClients.name);
  private readonly clients = new Map<string, Promise<BaseClient>>();

  constructor(private readonly providers: ReadonlyMap<string, OidcProviderSettings>) {}

  /** Throws NOT_FOUND for a name that is not configured, UNAVAILABLE when discovery fails. */
  async clientFor(name: string): Promise<BaseClient> {
    const settings = this.providers.get(name);
    if (!settings) throw OidcErrors.unknownProvider(name);
    let client = this.clients.get(name);
    if (!client) {
      client = this.discover(settings);
      this.clients.set(name, client);
    }
    try {
      return await client;
    } catch (error) {
      if (this.clients.get(name) === client) this.clients.delete(name);
      this.log.warn(`OpenID discovery of "${name}" failed: ${describe(error)}`);
      throw OidcErrors.providerUnavailable(name);
    }
  }

  private async discover(settings: OidcProviderSettings): Promise<BaseClient> {
    const issuer = await Issuer.discover(settings.issuer);
    return new issuer.Client({
      client_id: settings.clientId,
      client_secret: settings.clientSecret,
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
