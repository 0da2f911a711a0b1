import os from 'node:os';
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { chromiumArgs, findChromium } from './src/site/diagrams/browser.ts';

// Browser tests run against Debian's (or the reader's) Chromium: `npx playwright install` needs a
// download that these machines cannot make. CHROMIUM_PATH overrides the path.
const executablePath = findChromium();
const previewPort = Number(process.env.PREVIEW_PORT ?? 4399);
// Lab components: the lab server (`npm start` with the fixture labs, its own build) and the same
// build served statically (what online readers get).
const labPort = Number(process.env.LAB_E2E_PORT ?? 4398);
const labStaticPort = labPort - 1;
const labDist = 'tests/.scratch/lab-dist';

/**
 * Sized for a shared two-core machine with one core busy elsewhere (the README's test command must
 * pass there): two workers, tests spread across both (page-wide checks are one test per page and
 * theme, so no single test grows with the site), and limits per test and per wait that a page
 * meets with half the machine. No limit depends on the number of pages.
 */
export default defineConfig({
  testDir: './tests/e2e',
  fullyParallel: true,
  workers: 2,
  retries: 0,
  forbidOnly: true,
  reporter: [['list']],
  timeout: 60_000,
  expect: { timeout: 15_000 },
  use: {
    browserName: 'chromium',
    navigationTimeout: 30_000,
    actionTimeout: 15_000,
    launchOptions: { executablePath, args: chromiumArgs },
  },
  projects: [
    {
      name: 'site',
      testMatch: /site-.*\.spec\.ts/,
      use: { ...devices['Desktop Chrome'], baseURL: `http://127.0.0.1:${previewPort}`, launchOptions: { executablePath, args: chromiumArgs } },
    },
    {
      name: 'lab-live',
      testMatch: /lab-live.*\.spec\.ts/,
      use: { ...devices['Desktop Chrome'], baseURL: `http://127.0.0.1:${labPort}`, launchOptions: { executablePath, args: chromiumArgs } },
    },
    {
      name: 'lab-static',
      testMatch: /lab-static.*\.spec\.ts/,
      use: { ...devices['Desktop Chrome'], baseURL: `http://127.0.0.1:${labStaticPort}`, launchOptions: { executablePath, args: chromiumArgs } },
    },
  ],
  webServer: [
    {
      // `npm start` itself (rebuilds when stale), with the fixture labs next to the real ones.
      command: `node src/server/start.ts`,
      // Its own lab state folder: labs run by hand or by other tests on this machine stay apart.
      env: { PORT: String(labPort), LAB_EXTRA_DIR: 'tests/fixtures/labs', LAB_DIST: labDist, K8S_NET_LABS_STATE: path.join(os.tmpdir(), 'k8s-net-labs-e2e') },
      url: `http://127.0.0.1:${labPort}/`,
      reuseExistingServer: !process.env.CI,
      // It builds the site with the fixture labs first: minutes on a busy two-core machine.
      timeout: 300_000,
      gracefulShutdown: { signal: 'SIGINT', timeout: 10_000 },
    },
    {
      command: `node tests/support/static-server.ts ${labDist} ${labStaticPort}`,
      url: `http://127.0.0.1:${labStaticPort}/`,
      reuseExistingServer: !process.env.CI,
      timeout: 30_000,
    },
    {
      // The production build, served as any static host would serve it.
      command: `node tests/support/static-server.ts dist ${previewPort}`,
      url: `http://127.0.0.1:${previewPort}/`,
      reuseExistingServer: !process.env.CI,
      timeout: 30_000,
    },
  ],
});
