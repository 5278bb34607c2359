// `node dist/apps/auth/src/rotate-signing-key.js`: retires the current access-token signing
// key now and starts signing with a new one (runbook: a suspected key leak, or a scheduled
// rotation done by hand). Tokens of the retired key stay valid for AUTH_KEY_GRACE_SECONDS, then
// every gateway refuses them. Prints `{ "kid": "<the new key id>" }`.
import { SigningKeyService } from './signing-key/signing-key.service';
import { runAuthOperation } from './operations/run-auth-operation';

void runAuthOperation('rotate-signing-key', async (app) => {
  const kid = await app.get(SigningKeyService).rotateSigningKey();
  process.stdout.write(`${JSON.stringify({ kid })}\n`);
});
