import { defineConfig } from 'vitest/config';

// npm run test:browser — the SDK in headless Chromium against a running engine (slow: not in `npm test`).
export default defineConfig({
  test: {
    root: './tests',
    include: ['browser/**/*.browser.test.ts'],
    globalSetup: ['../adapters/test/support/postgres-global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
