/**
 * Where the shared test servers are. `npm test` sets both (starting embedded ones when the
 * caller configured none); running Jest directly needs them exported by hand.
 */
export function requiredEnv(name: 'DATABASE_URL' | 'REDIS_URL'): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set. Run the tests with \`npm test\` (it starts Postgres and Redis when none is configured) ` +
        `or export ${name} before running Jest directly.`,
    );
  }
  return value;
}

export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}
