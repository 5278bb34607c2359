import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  ALL_SCOPES,
  SCOPES_BY_ROLE,
  Scopes,
  type Actor,
  type ApiTokenView,
  type CreateApiTokenRequest,
  type CreatedApiToken,
  type Page,
  type PageRequest,
  type Scope,
  type VerifiedApiToken,
} from '@scriptripper/contracts';
import type { AppendContext } from '@scriptripper/event-store';
import { Clock } from '../shared/clock';
import { forbidden, invalid, unauthorized } from '@scriptripper/contracts';
import { decodeCursor, encodeCursor, pageLimit } from '@scriptripper/service-runtime';
import { newSecret, sha256 } from '../shared/secrets';
import { User } from '../user/user.entity';
import { UserRepository } from '../user/user.repository';
import { ApiToken } from './api-token.entity';

export const API_TOKEN_PREFIX = 'srt_';
const LAST_USED_RESOLUTION_MS = 60_000;

/** API tokens for the CLI and scripts: scoped, shown once, stored as sha256, revocable. */
@Injectable()
export class ApiTokenService {
  constructor(
    @Inject(EntityManager) private readonly em: EntityManager,
    @Inject(UserRepository) private readonly users: UserRepository,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /**
   * The scopes must lie within the caller's role and within the caller's own scopes. A token made
   * with an API token records it as its parent, expires no later than it and is revoked with it.
   */
  async create(
    actor: Actor,
    request: CreateApiTokenRequest,
    context: AppendContext,
  ): Promise<CreatedApiToken> {
    requireAccountAdmin(actor);
    const scopes = this.grantableScopes(actor, request.scopes);
    const name = typeof request.name === 'string' ? request.name.trim() : '';
    if (name.length === 0 || name.length > 100) throw invalid('name must be 1 to 100 characters');
    const requested = request.expires_at === undefined ? null : this.futureDate(request.expires_at);
    const parent = await this.parentOf(actor);
    const expiresAt = earliest(requested, parent?.expiresAt?.toISOString() ?? null);
    const token = `${API_TOKEN_PREFIX}${newSecret()}`;
    const tokenId = randomUUID();
    await this.users.execute(actor.id, context, () => ({
      type: 'IssueApiToken',
      tokenId,
      name,
      scopes,
      tokenHash: sha256(token),
      expiresAt,
      parentTokenId: parent?.id ?? null,
    }));
    const created = await this.em.fork().findOneOrFail(ApiToken, { id: tokenId });
    return { ...viewOf(created), token };
  }

  async list(actor: Actor, request: PageRequest): Promise<Page<ApiTokenView>> {
    requireAccountAdmin(actor);
    const limit = pageLimit(request);
    const after = decodeCursor(request.cursor, 2);
    const tokens = await this.em.fork().find(
      ApiToken,
      {
        userId: actor.id,
        ...(after
          ? {
              $or: [
                { createdAt: { $lt: new Date(after[0]) } },
                { createdAt: new Date(after[0]), id: { $lt: after[1] } },
              ],
            }
          : {}),
      },
      { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], limit: limit + 1 },
    );
    const items = tokens.slice(0, limit);
    const last = items.at(-1);
    return {
      items: items.map(viewOf),
      next_cursor:
        tokens.length > limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
    };
  }

  /** Only the owner revokes; another user's token id answers NOT_FOUND, as an unknown one does. */
  async revoke(actor: Actor, tokenId: string, context: AppendContext): Promise<{ revoked: true }> {
    requireAccountAdmin(actor);
    await this.users.execute(actor.id, context, () => ({ type: 'RevokeApiToken', tokenId }));
    return { revoked: true };
  }

  /** Who a token acts for, with its scopes cut to what the user's role allows today. */
  async verify(token: string): Promise<VerifiedApiToken> {
    const refused = () => unauthorized('the API token is not valid');
    if (typeof token !== 'string' || !token.startsWith(API_TOKEN_PREFIX)) throw refused();
    const em = this.em.fork();
    const found = await em.findOne(ApiToken, { tokenHash: sha256(token) });
    if (!found || !(await this.isInForce(em, found))) throw refused();
    const user = await em.findOne(User, { id: found.userId });
    if (!user) throw refused();
    await this.touch(em, found, this.clock.now());
    const allowed = SCOPES_BY_ROLE[user.role];
    return {
      token_id: found.id,
      user_id: user.id,
      role: user.role,
      scopes: found.scopes.filter((scope) => allowed.includes(scope)),
    };
  }

  /** The API token of the actor's credential, which must still be in force, or null for a session. */
  async parentOf(actor: Actor): Promise<ApiToken | null> {
    if (actor.credential?.kind !== 'api-token') return null;
    const em = this.em.fork();
    const parent = await em.findOne(ApiToken, { id: actor.credential.token_id, userId: actor.id });
    if (!parent || !(await this.isInForce(em, parent))) throw unauthorized('the API token is not valid');
    return parent;
  }

  /**
   * Neither it nor any token it was made with is revoked or expired. Revoking a parent revokes its
   * children in the same transaction; walking the chain also covers rows from before that rule.
   */
  private async isInForce(em: EntityManager, token: ApiToken): Promise<boolean> {
    const now = this.clock.now();
    const seen = new Set<string>();
    for (let current: ApiToken | null = token; current;) {
      if (current.revokedAt || (current.expiresAt && current.expiresAt <= now)) return false;
      if (current.parentTokenId === null || seen.has(current.id)) return true;
      seen.add(current.id);
      current = await em.findOne(ApiToken, { id: current.parentTokenId });
      if (!current) return false;
    }
    return false;
  }

  /** last_used_at is a usage hint, not a record: written straight to the read model, at most once a minute. */
  private async touch(em: EntityManager, token: ApiToken, now: Date): Promise<void> {
    const threshold = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
    await em.nativeUpdate(
      ApiToken,
      { id: token.id, $or: [{ lastUsedAt: null }, { lastUsedAt: { $lt: threshold } }] },
      { lastUsedAt: now },
    );
  }

  private grantableScopes(actor: Actor, requested: readonly Scope[]): Scope[] {
    if (!Array.isArray(requested) || requested.length === 0)
      throw invalid('scopes must list at least one scope');
    const unknown = requested.filter((scope) => !ALL_SCOPES.includes(scope));
    if (unknown.length > 0) throw invalid(`unknown scopes: ${unknown.join(', ')}`);
    const role = actor.role === 'admin' ? 'admin' : 'user';
    const beyond = requested.filter(
      (scope) => !SCOPES_BY_ROLE[role].includes(scope) || !actor.scopes.includes(scope),
    );
    if (beyond.length > 0) throw forbidden(`you cannot grant: ${beyond.join(', ')}`);
    return [...new Set(requested)];
  }

  private futureDate(text: string): string {
    const date = new Date(text);
    if (Number.isNaN(date.getTime()) || date <= this.clock.now())
      throw invalid('expires_at must be a future ISO-8601 time');
    return date.toISOString();
  }
}

/** Making, listing and revoking tokens is the account's own power: a session has it, a token only when granted. */
function requireAccountAdmin(actor: Actor): void {
  if (!actor.scopes.includes(Scopes.accountAdmin)) throw forbidden('this needs the account:admin scope');
}

function earliest(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a < b ? a : b;
}

function viewOf(token: ApiToken): ApiTokenView {
  return {
    id: token.id,
    name: token.name,
    scopes: token.scopes,
    created_at: token.createdAt.toISOString(),
    expires_at: token.expiresAt?.toISOString() ?? null,
    last_used_at: token.lastUsedAt?.toISOString() ?? null,
    revoked_at: token.revokedAt?.toISOString() ?? null,
    parent_token_id: token.parentTokenId,
  };
}
