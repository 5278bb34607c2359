import { RpcException } from '@nestjs/microservices';
import { ErrorCodes, type ErrorCode } from '@scriptripper/contracts';

function rpcError(code: ErrorCode, message: string, retryable = false): RpcException {
  return new RpcException({ code, message, retryable });
}

export const OidcErrors = {
  unknownProvider: (name: string) =>
    rpcError(ErrorCodes.notFound, `No OpenID Connect provider named "${name}" is configured`),
  invalidRequest: (message: string) => rpcError(ErrorCodes.validationFailed, message),
  /** Unknown, used or expired state: one answer for all, so it tells a guesser nothing. */
  attemptRefused: () =>
    rpcError(ErrorCodes.unauthorized, 'This sign-in attempt is unknown, used or expired; start again'),
  providerRefused: (reason: string) =>
    rpcError(ErrorCodes.unauthorized, `The identity provider's answer was refused: ${reason}`),
  providerUnavailable: (name: string) =>
    rpcError(ErrorCodes.unavailable, `The identity provider "${name}" cannot be reached`, true),
  emailNotVerified: () =>
    rpcError(ErrorCodes.unauthorized, 'The identity provider did not vouch for a verified email address'),
};
