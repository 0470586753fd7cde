// Jest compiles the TypeScript with SWC, as `nest build` does (.swcrc: legacy decorators with their
// metadata, which Nest's injection by type and class-validator's DTOs read). Type checking is
// `npm run typecheck`'s job, not the tests'.
//
// NestJS 12 and PGlite ship ES modules only. Jest runs CommonJS, and needs --experimental-vm-modules
// to require() real ES modules even on Node 24, so those packages go through SWC too (ES modules to
// CommonJS; `import.meta.url` becomes the file's URL).
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const swcrc = JSON.parse(readFileSync(join(__dirname, '.swcrc'), 'utf8'));
const typescript = { ...swcrc, swcrc: false, sourceMaps: 'inline' };
const javascript = { ...typescript, jsc: { ...typescript.jsc, parser: { syntax: 'ecmascript' } } };

const common = {
  testEnvironment: 'node',
  rootDir: __dirname,
  transform: {
    '^.+\\.ts$': ['@swc/jest', typescript],
    '^.+\\.c?js$': ['@swc/jest', javascript],
  },
  transformIgnorePatterns: ['/node_modules/(?!(@nestjs|@electric-sql)/)'],
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...common, displayName: 'unit', roots: ['<rootDir>/src'], testMatch: ['**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.test.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
  testTimeout: 60000,
};
