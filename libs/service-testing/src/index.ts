// Test support for apps: a data service as it runs, migrated, over the real transport.
// Test code only (lint refuses it elsewhere).
export { startServiceUnderTest, type ServiceUnderTest } from './service-under-test';
