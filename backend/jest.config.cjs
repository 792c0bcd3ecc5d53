/** Jest runs the TypeScript sources through SWC, transpiling ESM (ours and NestJS 12's) to CommonJS. */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  transform: {
    '^.+\\.(t|j|mj|cj)s$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', decorators: true },
          // class fields as the build compiles them (backend/tsconfig.json: useDefineForClassFields false)
          transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  transformIgnorePatterns: [],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // the shared contract from its sources (the built backend resolves it through node_modules to its dist)
    '^@business-brain/contract$': '<rootDir>/../libs/contract/src/index.ts',
  },
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  // A backstop for a test that hangs, not a speed limit: on a 2-core machine shared with other
  // CPU-heavy work an end-to-end test that takes 20 s when idle took over 60 s.
  testTimeout: 300000,
  maxWorkers: 2,
};
