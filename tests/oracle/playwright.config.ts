import { defineConfig } from '@playwright/test';

// The full Chromium oracle (`npm run oracle`): hundreds of generated cases, one test, its own browsers.
export default defineConfig({
  testDir: '.',
  testMatch: ['*.spec.ts'],
  workers: 1,
  reporter: 'list',
  timeout: 30 * 60_000,
  outputDir: '../../test-results/oracle',
});
