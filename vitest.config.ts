import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

export default defineConfig({
  test: {
    projects: [
      {
        // Unit and integration tests: fake browser APIs, fake IndexedDB, the emulator in-process in the deterministic
        // simulation of tests/support/sim (a few wire tests over real HTTP).
        plugins: [WxtVitest()],
        test: {
          name: 'unit',
          include: ['{utils,components,entrypoints,tests}/**/*.test.{ts,tsx}'],
          exclude: ['tests/e2e/**', 'node_modules/**'],
          setupFiles: ['fake-indexeddb/auto'],
          environment: 'node',
          testTimeout: 20_000,
        },
      },
      {
        // End-to-end tests: the built extension in Debian's Chromium.
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.e2e.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
      {
        // End-to-end tests where Chrome runs the worker as it does for people: nothing attached to it, so Chrome
        // stops it when idle (tests/support/unattached-chrome.ts). Real minutes: the scenarios run side by side.
        test: {
          name: 'e2e-idle',
          include: ['tests/e2e-idle/**/*.e2e.ts'],
          environment: 'node',
          testTimeout: 420_000,
          hookTimeout: 300_000,
          fileParallelism: false,
          // A scenario that fails is run once more, alone; every attempt must prove its own stops and bounds.
          retry: 1,
        },
      },
      {
        // End-to-end tests: the built extension in Debian's Firefox ESR, over WebDriver BiDi.
        test: {
          name: 'e2e-firefox',
          include: ['tests/e2e-firefox/**/*.e2e.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
