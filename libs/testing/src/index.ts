// Test helpers: per-file Postgres databases, Redis key prefixes, throwaway redis-server.
export { requiredEnv, uniqueSuffix } from './environment';
export { createTestDatabase, type TestDatabase } from './test-database';
export {
  deleteKeysWithPrefix,
  freePort,
  startThrowawayRedis,
  testKeyPrefix,
  testRedisUrl,
  type ThrowawayRedis,
} from './test-redis';
