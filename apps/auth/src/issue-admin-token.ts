// `node dist/apps/auth/src/issue-admin-token.js`: ensures ADMIN_EMAIL is an admin and prints a
// new API token with every scope as `{ "token": "..." }` on stdout (the dev launcher stores it
// as `adminToken`). Diagnostics go to stderr only. Run after the auth migrations.
import { AdminTokenIssuer } from './admin-token/admin-token.issuer';
import { runAuthOperation } from './operations/run-auth-operation';

void runAuthOperation('issue-admin-token', async (app) => {
  const created = await app.get(AdminTokenIssuer).issue();
  process.stdout.write(`${JSON.stringify({ token: created.token })}\n`);
});
