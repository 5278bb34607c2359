import { Controller, Inject } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import {
  AuthRpc,
  type Actor,
  type ChangeRoleRequest,
  type CreateApiTokenRequest,
  type PageRequest,
  type RefreshRequest,
  type RequestMagicLinkRequest,
  type RevokeApiTokenRequest,
  type SignOutRequest,
  type VerifyApiTokenRequest,
  type VerifyMagicLinkRequest,
} from '@scriptripper/contracts';
import type { RedisStreamsContext } from '@scriptripper/streams';
import { ApiTokenService } from './api-token/api-token.service';
import { CredentialCheckService, currentActor } from './credential/credential-check.service';
import { MagicLinkService } from './magic-link/magic-link.service';
import { SessionService } from './session/session.service';
import { invalid } from '@scriptripper/contracts';
import { answer, appendContextOf, requireUser } from './shared/rpc-context';
import { SigningKeyService } from './signing-key/signing-key.service';
import { UserAdminService } from './user/user-admin.service';

/**
 * `rpc:auth`. Sign-in, refresh, JWKS and API-token verification are open to any caller (the
 * gateway calls them for anonymous clients); the rest need a user actor on the envelope. The
 * account's and the admin's powers (tokens, purge, users, roles) and the credential check itself
 * re-read the actor's credential, role and scopes from the records first (`currentActor`).
 */
@Controller()
export class AuthController {
  constructor(
    @Inject(MagicLinkService) private readonly magicLinks: MagicLinkService,
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(SigningKeyService) private readonly signingKeys: SigningKeyService,
    @Inject(ApiTokenService) private readonly apiTokens: ApiTokenService,
    @Inject(UserAdminService) private readonly users: UserAdminService,
    @Inject(CredentialCheckService) private readonly credentials: CredentialCheckService,
  ) {}

  @MessagePattern(AuthRpc.checkCredential)
  checkCredential(@Ctx() ctx: RedisStreamsContext) {
    return answer(() => this.credentials.check(requireUser(ctx.getEnvelope().actor)));
  }

  @MessagePattern(AuthRpc.requestMagicLink)
  requestMagicLink(@Payload() data: RequestMagicLinkRequest, @Ctx() ctx: RedisStreamsContext) {
    return answer(() => {
      if (typeof data?.email !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(data.email.trim())) {
        throw invalid('email must be an email address');
      }
      return this.magicLinks.request(data.email, appendContextOf(ctx.getEnvelope()));
    });
  }

  @MessagePattern(AuthRpc.verifyMagicLink)
  verifyMagicLink(@Payload() data: VerifyMagicLinkRequest, @Ctx() ctx: RedisStreamsContext) {
    return answer(() =>
      this.magicLinks.verify(requiredString(data?.token, 'token'), appendContextOf(ctx.getEnvelope())),
    );
  }

  @MessagePattern(AuthRpc.refresh)
  refresh(@Payload() data: RefreshRequest, @Ctx() ctx: RedisStreamsContext) {
    return answer(() =>
      this.sessions.refresh(
        requiredString(data?.refresh_token, 'refresh_token'),
        appendContextOf(ctx.getEnvelope()),
      ),
    );
  }

  @MessagePattern(AuthRpc.signOut)
  signOut(@Payload() data: SignOutRequest, @Ctx() ctx: RedisStreamsContext) {
    return answer(() =>
      this.sessions.signOut(
        requiredString(data?.refresh_token, 'refresh_token'),
        appendContextOf(ctx.getEnvelope()),
      ),
    );
  }

  @MessagePattern(AuthRpc.jwks)
  jwks() {
    return answer(() => this.signingKeys.jwks());
  }

  @MessagePattern(AuthRpc.verifyApiToken)
  verifyApiToken(@Payload() data: VerifyApiTokenRequest) {
    return answer(() => this.apiTokens.verify(requiredString(data?.token, 'token')));
  }

  @MessagePattern(AuthRpc.createApiToken)
  createApiToken(@Payload() data: CreateApiTokenRequest, @Ctx() ctx: RedisStreamsContext) {
    const envelope = ctx.getEnvelope();
    return answer(async () =>
      this.apiTokens.create(await this.current(envelope.actor), data ?? {}, appendContextOf(envelope)),
    );
  }

  @MessagePattern(AuthRpc.listApiTokens)
  listApiTokens(@Payload() data: PageRequest, @Ctx() ctx: RedisStreamsContext) {
    return answer(async () => this.apiTokens.list(await this.current(ctx.getEnvelope().actor), data ?? {}));
  }

  @MessagePattern(AuthRpc.revokeApiToken)
  revokeApiToken(@Payload() data: RevokeApiTokenRequest, @Ctx() ctx: RedisStreamsContext) {
    const envelope = ctx.getEnvelope();
    return answer(async () =>
      this.apiTokens.revoke(
        await this.current(envelope.actor),
        requiredString(data?.id, 'id'),
        appendContextOf(envelope),
      ),
    );
  }

  @MessagePattern(AuthRpc.me)
  me(@Ctx() ctx: RedisStreamsContext) {
    return answer(() => this.users.me(requireUser(ctx.getEnvelope().actor)));
  }

  @MessagePattern(AuthRpc.purgeMe)
  purgeMe(@Ctx() ctx: RedisStreamsContext) {
    const envelope = ctx.getEnvelope();
    return answer(async () =>
      this.users.purge(await this.current(envelope.actor), appendContextOf(envelope)),
    );
  }

  @MessagePattern(AuthRpc.listUsers)
  listUsers(@Payload() data: PageRequest, @Ctx() ctx: RedisStreamsContext) {
    return answer(async () => this.users.list(await this.current(ctx.getEnvelope().actor), data ?? {}));
  }

  @MessagePattern(AuthRpc.changeRole)
  changeRole(@Payload() data: ChangeRoleRequest, @Ctx() ctx: RedisStreamsContext) {
    const envelope = ctx.getEnvelope();
    return answer(async () =>
      this.users.changeRole(await this.current(envelope.actor), data, appendContextOf(envelope)),
    );
  }

  private current(actor: Actor): Promise<Actor> {
    return currentActor(this.credentials, requireUser(actor));
  }
}

function requiredString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 512)
    throw invalid(`${name} is required`);
  return value;
}
