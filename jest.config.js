// One Jest run for the whole repo. Servers are started once per run (global setup), never per
// file; each test file isolates itself by database name and topic prefix (libs/testing).
// The one SWC configuration of the repo (.swcrc), as the build and the benches use it.
const { $schema: _schema, ...swcrc } = JSON.parse(require('node:fs').readFileSync(require('node:path').join(__dirname, '.swcrc'), 'utf8'));
const swc = ['@swc/jest', { ...swcrc, swcrc: false, sourceMaps: 'inline' }];
const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: { '^@hrp/([^/]+)$': '<rootDir>/libs/$1/src/index.ts' },
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/var/'],
};
module.exports = {
  globalSetup: '<rootDir>/libs/testing/jest/global-setup.js',
  globalTeardown: '<rootDir>/libs/testing/jest/global-teardown.js',
  maxWorkers: 2,
  // A global option (ignored inside `projects`): integration tests talk to real servers.
  testTimeout: 90000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/**/*.unit.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/**/*.int.spec.ts', '<rootDir>/**/*.e2e.spec.ts'],
    },
    // Faults on disposable containers (libs/testing/src/containers): `npm run test:faults` runs only these.
    { ...common, displayName: 'faults', testMatch: ['<rootDir>/**/*.fault.spec.ts'] },
  ],
};
