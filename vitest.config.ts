import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

export default defineConfig({
  plugins: [WxtVitest()],
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  test: {
    include: ['tests/unit/**/*.test.{ts,tsx}'],
    environment: 'node',
    restoreMocks: true,
    // The limit catches a hang, not slowness: the property and fuzz tests are CPU-bound (thousands of runs, about a
    // second each on an idle 2-core machine) and take several times that when the machine is busy. Timing claims are
    // the bench's (bench/), never a test's.
    testTimeout: 30_000,
  },
});
