import { defineConfig } from 'vitest/config';

const postgres = './adapters/test/support/postgres-global-setup.ts';

// `npm test` runs every package's unit and integration tests; the slow suites (browser,
// load, benchmarks) have npm scripts of their own.
export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'adapters',
          root: './adapters',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          globalSetup: ['./test/support/postgres-global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'runtime',
          root: './runtime',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          globalSetup: [`../${postgres}`],
        },
      },
      {
        extends: true,
        test: { name: 'sdk', root: './sdk', include: ['test/**/*.test.ts'] },
      },
      {
        extends: true,
        test: { name: 'stacks', root: './stacks', include: ['test/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          root: './tests',
          include: ['e2e/**/*.test.ts', 'sdk/**/*.test.ts'],
          globalSetup: [`../${postgres}`],
        },
      },
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
