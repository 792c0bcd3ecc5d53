/**
 * Browser end-to-end tests: Debian's Chromium driven by playwright-core against the real backend
 * serving the production web app build (embedded database, development auth). Serial: one browser,
 * one backend per file.
 */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.e2e.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  // a backstop for a hung browser or server, not a speed limit
  testTimeout: 300000,
  maxWorkers: 1,
};
