import { defineConfig } from '@playwright/test';

// End-to-end tests load the built extension (.output/chrome-mv3, or $EXTENSION_DIR) into the system Chromium and
// drive it against the local demo site (tests/demo/server.mjs). See tests/e2e/fixtures.ts.
export default defineConfig({
  testDir: 'tests/e2e',
  // The README screenshot generator is not a check: it runs only when asked (UPDATE_SCREENSHOTS=1).
  testIgnore: process.env.UPDATE_SCREENSHOTS ? [] : ['**/screenshots.spec.ts'],
  // One browser with one extension and one demo server per worker; report delivery is profile-wide, so tests share
  // nothing across workers and run one at a time within a worker.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  reporter: 'list',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  outputDir: 'test-results',
});
