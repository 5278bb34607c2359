/**
 * One Jest configuration for every project and tier.
 *
 * Nx runs it per project (`--rootDir <project>`) with TEST_TIER set by the target:
 *   test -> unit (`*.spec.ts`, no I/O)
 *   int  -> `*.int.spec.ts` against the real Postgres and Redis
 *   e2e  -> `*.e2e.spec.ts` against running services
 */
// @ts-check
const { mkdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const workspaceRoot = __dirname;
const tier = process.env['TEST_TIER'] ?? 'unit';

// The Nx targets write JSON results here; `npm test` adds them up for its closing line.
mkdirSync(join(workspaceRoot, 'tmp/test-results'), { recursive: true });

const tsconfig = JSON.parse(readFileSync(join(workspaceRoot, 'tsconfig.base.json'), 'utf8'));
const moduleNameMapper = Object.fromEntries(
  Object.entries(tsconfig.compilerOptions.paths).map(([alias, targets]) => [
    `^${alias.replace(/[/.]/g, (/** @type {string} */ c) => `\\${c}`)}$`,
    join(workspaceRoot, targets[0]),
  ]),
);

const swcrc = JSON.parse(readFileSync(join(workspaceRoot, '.swcrc'), 'utf8'));
delete swcrc['$schema'];

/** @type {Record<string, string[]>} */
const testMatchByTier = {
  unit: ['**/*.spec.ts'],
  int: ['**/*.int.spec.ts'],
  e2e: ['**/*.e2e.spec.ts'],
};
/** @type {Record<string, string[]>} */
const ignoreByTier = {
  unit: ['\\.int\\.spec\\.ts$', '\\.e2e\\.spec\\.ts$'],
  int: [],
  e2e: [],
};
/** @type {Record<string, number>} */
const timeoutByTier = { unit: 5_000, int: 60_000, e2e: 120_000 };

/** @type {import('jest').Config} */
const config = {
  displayName: tier,
  testEnvironment: 'node',
  testMatch: testMatchByTier[tier],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', ...(ignoreByTier[tier] ?? [])],
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swcrc, swcrc: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  testTimeout: timeoutByTier[tier],
  setupFiles: [join(workspaceRoot, 'libs/testing/src/jest-setup.ts')],
};

module.exports = config;
