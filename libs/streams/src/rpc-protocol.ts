import type { ErrorBody } from '@scriptripper/contracts';

/** Fields of a request entry on `rpc:<service>`, beside the envelope. */
export const REPLY_TO_FIELD = 'replyTo';
export const DEADLINE_FIELD = 'deadline';
/** The field of a reply entry on `reply:<client id>`. */
export const REPLY_FIELD = 'reply';
export const REPLY_STREAM_PREFIX = 'reply:';
/** Reply streams keep about this many entries (`MAXLEN ~`). */
export const REPLY_STREAM_MAX_LENGTH = 1_000;

/** The answer to a request, matched by the caller on the request envelope's id. */
export type RpcReply =
  | { readonly requestId: string; readonly ok: true; readonly result: unknown }
  | { readonly requestId: string; readonly ok: false; readonly error: ErrorBody };
