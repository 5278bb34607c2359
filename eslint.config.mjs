// Lint rules that keep the architecture visible:
// - @nx/enforce-module-boundaries: apps never import apps, libs never import apps,
//   `contracts` depends on nothing of ours, tools use libs only.
// - import-x/no-cycle: layers without circles (event-store: schema -> store -> relay/inbox -> module).
import nx from '@nx/eslint-plugin';
import importX from 'eslint-plugin-import-x';
import prettier from 'eslint-config-prettier';

function moduleBoundaries({ testCode }) {
  const testing = testCode ? ['scope:testing', 'scope:service-testing'] : [];
  return [
    'error',
    {
      enforceBuildableLibDependency: false,
      allow: [],
      banTransitiveDependencies: false,
      // `onlyDependOnLibsWithTags` checks direct imports; `notDependOnLibsWithTags` would also
      // follow test files' imports through the project graph, so it is not used for testing.
      depConstraints: [
        {
          sourceTag: 'scope:contracts',
          onlyDependOnLibsWithTags: testCode ? ['scope:testing'] : ['nothing-of-ours'],
        },
        {
          sourceTag: 'scope:shared',
          onlyDependOnLibsWithTags: ['scope:shared', 'scope:contracts', ...testing],
        },
        // The SDK is what API clients get: generated types and a fetch client, nothing of ours.
        {
          sourceTag: 'scope:sdk',
          onlyDependOnLibsWithTags: testCode ? ['scope:testing'] : ['nothing-of-ours'],
        },
        { sourceTag: 'scope:testing', onlyDependOnLibsWithTags: ['scope:contracts'] },
        { sourceTag: 'scope:service-testing', onlyDependOnLibsWithTags: ['scope:shared', 'scope:contracts'] },
        { sourceTag: 'type:lib', notDependOnLibsWithTags: ['type:app', 'type:tool'] },
        {
          sourceTag: 'type:app',
          onlyDependOnLibsWithTags: ['scope:shared', 'scope:contracts', 'scope:sdk', ...testing],
        },
        { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib'] },
      ],
    },
  ];
}

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  prettier,
  {
    ignores: ['**/dist', '**/node_modules', '**/.data', '**/tmp', '**/coverage', '**/.nx'],
  },
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [importX.createNodeResolver({ extensions: ['.ts', '.js', '.json'] })],
    },
    rules: {
      '@nx/enforce-module-boundaries': moduleBoundaries({ testCode: false }),
      'import-x/no-cycle': ['error', { maxDepth: 10 }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'off',
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['tools/**/*.ts', '**/*.spec.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    // Tests (and their support files) may use the testing helpers; production code may not.
    files: ['**/*.spec.ts', '**/test-support/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': moduleBoundaries({ testCode: true }) },
  },
];
