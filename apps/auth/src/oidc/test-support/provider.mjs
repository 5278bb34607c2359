// A real OpenID provider for the OIDC tests (oidc-provider is ESM-only, so it runs in its own
// process): `node provider.mjs` with PORT, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI and ACCOUNTS
// (JSON: `{ "<login>": { "email", "email_verified", "name" } }`) in the environment.
// It prints `ready <issuer>` once it listens. Sign-in uses oidc-provider's development
// interactions: the test posts the login form (any password) and the consent form.
import { randomBytes } from 'node:crypto';
import Provider from 'oidc-provider';

const { PORT, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, ACCOUNTS } = process.env;
const accounts = JSON.parse(ACCOUNTS ?? '{}');
const issuer = `http://127.0.0.1:${PORT}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      redirect_uris: [REDIRECT_URI],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  features: { devInteractions: { enabled: true } },
  pkce: { required: () => true },
  async findAccount(_ctx, id) {
    const account = accounts[id];
    if (!account) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...account }) };
  },
});

const server = provider.listen(Number(PORT), '127.0.0.1', () => {
  process.stdout.write(`ready ${issuer}\n`);
});

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
