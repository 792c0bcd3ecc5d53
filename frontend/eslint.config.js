// ESLint flat config for the Angular app (ESM: the root package.json is "type": "module").
// typescript-eslint's type-aware recommended rules on src/**/*.ts; @angular-eslint is not installed.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['.angular/', 'coverage/', 'out-tsc/']),
  {
    files: ['src/**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.app.json', './tsconfig.spec.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['*.js'],
    extends: [js.configs.recommended],
  },
);
