import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

import architecture from './eslint-rules/no-module-cycle.js';

/** Which Nx projects may import which, by tag; the frontend's config holds the same list. */
export const DEPENDENCY_RULES = [
  { sourceTag: 'scope:backend', onlyDependOnLibsWithTags: ['scope:backend', 'scope:shared'] },
  { sourceTag: 'scope:frontend', onlyDependOnLibsWithTags: ['scope:frontend', 'scope:shared'] },
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
];

export default tseslint.config(
  { ignores: ['src/generated/**', 'jest.config.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX, '@nx': nx, architecture },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })],
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'no-console': 'off',
      '@typescript-eslint/no-floating-promises': 'error',
      // no cycle between files, nor between the modules (top-level folders) of src/
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'architecture/no-module-cycle': ['error', { srcRoot: `${import.meta.dirname}/src` }],
      // project boundaries (Nx tags): the API imports no frontend code, and only shared libraries across scopes
      '@nx/enforce-module-boundaries': ['error', { depConstraints: DEPENDENCY_RULES, allow: [] }],
    },
  },
  {
    // Jest's asymmetric matchers (expect.objectContaining, expect.any, ...) are typed `any`
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off', '@typescript-eslint/no-unsafe-argument': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: globals.node },
  },
);
