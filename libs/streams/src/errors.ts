import type { ErrorBody } from '@scriptripper/contracts';
import { ErrorCodes } from '@scriptripper/contracts';

/** Base of every error the transport raises: it carries the platform's `{ code, retryable }`. */
export class StreamTransportError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = new.target.name;
  }

  toBody(): ErrorBody {
    return { code: this.code, message: this.message, retryable: this.retryable };
  }
}

/** No reply came before the call's deadline; the request may or may not have run. */
export class RpcTimeoutError extends StreamTransportError {
  constructor(pattern: string, timeoutMs: number) {
    super(ErrorCodes.rpcTimeout, `No reply to "${pattern}" within ${timeoutMs} ms`, true);
  }
}

/** The remote handler answered with an error; its code, message and retryable flag are kept. */
export class RpcRemoteError extends StreamTransportError {
  constructor(body: ErrorBody) {
    super(body.code, body.message, body.retryable);
  }
}

/** Redis could not take the request (down, restarting) or the client is closed. */
export class TransportUnavailableError extends StreamTransportError {
  constructor(message: string) {
    super(ErrorCodes.unavailable, message, true);
  }
}

/** A stream entry that is not a valid envelope; `reason` says what is wrong. */
export class MalformedEnvelopeError extends StreamTransportError {
  constructor(readonly reason: string) {
    super(ErrorCodes.malformedMessage, `Malformed message: ${reason}`, false);
  }
}
