import { defineConfig, devices } from '@playwright/test';
import { chromiumArgs, findChromium } from './src/site/diagrams/browser.ts';

// Browser tests run against Debian's (or the reader's) Chromium: `npx playwright install` needs a
// download that these machines cannot make. CHROMIUM_PATH overrides the path.
const executablePath = findChromium();
const previewPort = Number(process.env.PREVIEW_PORT ?? 4399);

export default defineConfig({
  testDir: './tests/e2e',
  fullyParallel: false,
  workers: 2,
  retries: 0,
  forbidOnly: true,
  reporter: [['list']],
  timeout: 30_000,
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath, args: chromiumArgs },
  },
  projects: [
    {
      name: 'site',
      testMatch: /site-.*\.spec\.ts/,
      use: { ...devices['Desktop Chrome'], baseURL: `http://127.0.0.1:${previewPort}`, launchOptions: { executablePath, args: chromiumArgs } },
    },
  ],
  webServer: [
    {
      // The production build, served as any static host would serve it.
      command: `node tests/support/static-server.ts dist ${previewPort}`,
      url: `http://127.0.0.1:${previewPort}/`,
      reuseExistingServer: !process.env.CI,
      timeout: 30_000,
    },
  ],
});
