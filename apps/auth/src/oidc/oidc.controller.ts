import { Controller } from '@nestjs/common';
import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import {
  AuthRpc,
  type CompleteOidcRequest,
  type StartOidcRequest,
  type StartOidcResponse,
  type TokenPair,
} from '@scriptripper/contracts';
import type { RedisStreamsContext } from '@scriptripper/streams';
import { OidcService } from './oidc.service';

/**
 * OpenID Connect sign-in over `rpc:auth`. Public on purpose: whoever calls is signing in, so
 * the actor is anonymous; the state, nonce and PKCE checks are what protect it.
 */
@Controller()
export class OidcController {
  constructor(private readonly oidc: OidcService) {}

  @MessagePattern(AuthRpc.startOidc)
  start(@Payload() request: StartOidcRequest): Promise<StartOidcResponse> {
    return this.oidc.start(request);
  }

  @MessagePattern(AuthRpc.completeOidc)
  complete(@Payload() request: CompleteOidcRequest, @Ctx() ctx: RedisStreamsContext): Promise<TokenPair> {
    const envelope = ctx.getEnvelope();
    return this.oidc.complete(request, {
      actor: envelope.actor,
      correlationId: envelope.correlationId,
      causationId: envelope.id,
      traceparent: envelope.traceparent,
    });
  }
}
