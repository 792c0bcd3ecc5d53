/**
 * The deployment files' checks (docker/test): Dockerfiles, compose file and web server config
 * against the code, with the backend's runtime install and nginx run for real. TypeScript through
 * SWC, as the backend's tests; they import backend sources (its configuration, security headers).
 */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
  transform: {
    '^.+\\.(t|j|mj|cj)s$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  transformIgnorePatterns: [],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    '^@business-brain/contract$': '<rootDir>/../libs/contract/src/index.ts',
  },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  // a backstop for a hung test, not a speed limit: the runtime install alone downloads ~200 packages
  testTimeout: 600000,
  maxWorkers: 2,
};
