import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE, RouterModule } from '@nestjs/core';
import { AccessGuard } from './access/access.guard';
import { ApiTokenVerifier } from './access/api-token.verifier';
import { ApiTokenStrategy } from './access/api-token.strategy';
import { JwksCache } from './access/jwks.cache';
import { JwtStrategy } from './access/jwt.strategy';
import { JwtVerifier } from './access/jwt.verifier';
import { CredentialMarkers } from './access/credential-markers';
import { AdminUsersController } from './admin/admin-users.controller';
import { ArtifactsController } from './artifacts/artifacts.controller';
import { BatchesController } from './batches/batches.controller';
import { AuditController } from './audit/audit.controller';
import { AuthController } from './auth/auth.controller';
import { GatewayConfig } from './config';
import { ExportsController } from './exports/exports.controller';
import { GatewayConnections } from './gateway-connections';
import { ApiExceptionFilter } from './http/api-exception.filter';
import { createApiValidationPipe } from './http/api-validation.pipe';
import { SERVICES_CLIENT, ServiceCaller } from './http/service-caller';
import { JobControlController } from './jobs/job-control.controller';
import { JobEventsFeed } from './jobs/job-events.feed';
import { JobsController } from './jobs/jobs.controller';
import { UserJobEventsController } from './jobs/user-job-events.controller';
import { DeletionsController } from './me/deletions.controller';
import { MeController } from './me/me.controller';
import { ProfilesController } from './profiles/profiles.controller';
import { JobPromptsController, PromptsController } from './prompts/prompts.controller';
import { RateLimiter } from './rate-limit/rate-limiter';
import { RateLimits } from './rate-limit/rate-limit.policies';
import { ApiTokensController } from './tokens/api-tokens.controller';
import { WebhooksController } from './webhooks/webhooks.controller';

/** Where every client route lives: `/api/v1`. */
export const API_PREFIX = 'api/v1';

/**
 * The client API: its controllers under `/api/v1`, the global access guard (Passport
 * authentication, rate limits, roles and scopes), validation and the one error shape.
 */
@Module({})
export class ApiModule {
  static register(config: GatewayConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [RouterModule.register([{ path: API_PREFIX, module: ApiModule }])],
      controllers: [
        AuthController,
        MeController,
        DeletionsController,
        ApiTokensController,
        AdminUsersController,
        AuditController,
        ProfilesController,
        ArtifactsController,
        UserJobEventsController,
        JobsController,
        BatchesController,
        ExportsController,
        PromptsController,
        JobPromptsController,
        JobControlController,
        WebhooksController,
      ],
      providers: [
        { provide: GatewayConfig, useValue: config },
        GatewayConnections,
        {
          provide: SERVICES_CLIENT,
          useFactory: (connections: GatewayConnections) => connections.services,
          inject: [GatewayConnections],
        },
        ServiceCaller,
        { provide: JobEventsFeed, useValue: new JobEventsFeed(config) },
        {
          provide: JwtVerifier,
          useFactory: (services: ServiceCaller) =>
            new JwtVerifier(
              new JwksCache(services, {
                refetchMinIntervalMs: config.JWKS_REFETCH_MIN_INTERVAL_MS,
                maxAgeMs: config.JWKS_MAX_AGE_MS,
              }),
            ),
          inject: [ServiceCaller],
        },
        {
          provide: ApiTokenVerifier,
          useFactory: (services: ServiceCaller) => new ApiTokenVerifier(services, config.API_TOKEN_CACHE_MS),
          inject: [ServiceCaller],
        },
        ApiTokenStrategy,
        JwtStrategy,
        {
          provide: RateLimits,
          useFactory: (connections: GatewayConnections) =>
            new RateLimits(new RateLimiter(connections.counters, config.REDIS_KEY_PREFIX), {
              windowMs: config.RATE_LIMIT_WINDOW_MS,
              limits: {
                public: config.RATE_LIMIT_PUBLIC,
                user: config.RATE_LIMIT_USER,
                'sign-in': config.RATE_LIMIT_SIGN_IN,
                'auth-failures': config.RATE_LIMIT_AUTH_FAILURES,
              },
            }),
          inject: [GatewayConnections],
        },
        {
          provide: CredentialMarkers,
          useFactory: (connections: GatewayConnections) =>
            new CredentialMarkers(connections.counters, config.REDIS_KEY_PREFIX),
          inject: [GatewayConnections],
        },
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        { provide: APP_PIPE, useFactory: createApiValidationPipe },
      ],
    };
  }
}
