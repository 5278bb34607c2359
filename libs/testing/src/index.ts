// Test helpers: per-file Postgres databases, Redis key prefixes, throwaway redis-server, a fake LLM server.
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
export { FakeLlmServer, type FakeReply, type FakeRequest, type FakeVendor } from './fake-llm-server';
