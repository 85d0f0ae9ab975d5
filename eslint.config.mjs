// Lint: type-checked typescript-eslint, Prettier compatibility, and the architecture's
// boundaries enforced by Nx tags (docs/conventions.md habit 2).
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

/** Packages that domain code (deciders, events, contracts) may never import. */
const FRAMEWORK = [
  '@nestjs/*',
  '@apollo/*',
  'mongoose',
  'mongodb',
  'kafkajs',
  'keycloak-connect',
  '@keycloak/*',
  'graphql',
  'express',
  'rxjs',
];

/** Tags and what they may depend on. Tests (`withTesting`) may also use libs/testing. */
function boundaries(withTesting) {
  const t = (tags) => (withTesting ? [...tags, 'type:testing'] : tags);
  return {
    enforceBuildableLibDependency: false,
    allow: [],
    depConstraints: [
      // Services never import each other: one scope each, plus the shared libraries.
      ...['campaigns', 'training', 'partnerships', 'advocacy', 'finance', 'gateway'].map((s) => ({
        sourceTag: `scope:${s}`,
        onlyDependOnLibsWithTags: [`scope:${s}`, 'scope:shared'],
      })),
      { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
      // Layers: domain code depends on nothing of ours but domain code, and on no framework.
      { sourceTag: 'type:domain', onlyDependOnLibsWithTags: t(['type:domain']), bannedExternalImports: FRAMEWORK },
      { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: t(['type:domain', 'type:contracts']), bannedExternalImports: FRAMEWORK },
      { sourceTag: 'type:adapter', onlyDependOnLibsWithTags: t(['type:domain', 'type:contracts', 'type:adapter']) },
      { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:adapter', 'type:testing'] },
      { sourceTag: 'type:service', onlyDependOnLibsWithTags: t(['type:domain', 'type:contracts', 'type:adapter']) },
      { sourceTag: 'type:gateway', onlyDependOnLibsWithTags: t(['type:domain', 'type:contracts', 'type:adapter']) },
    ],
  };
}

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'web/src/gql/**', 'var/**', 'coverage/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': ['error', boundaries(false)],
    },
  },
  {
    // Deciders and event definitions inside services are domain code too.
    files: ['**/*.decider.ts', '**/*.events.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: FRAMEWORK, message: 'domain code may not import framework packages' }] }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'time arrives with the command metadata',
        },
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
          message: 'ids arrive with the command metadata',
        },
      ],
    },
  },
  {
    // Tests may use loose typing against library internals and JSON bodies.
    files: ['**/*.spec.ts', '**/test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', boundaries(true)],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  prettier,
);
