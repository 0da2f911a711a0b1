/**
 * A packet walk run live through the local lab server (`npm start`): the reader's own sandbox
 * answers, the hops replace the recorded ones, and the walk is checked against what the lab
 * expects. The lab it starts is torn down afterwards.
 */
import { expect, test } from '@playwright/test';

test.describe.configure({ mode: 'serial' });

test.afterAll(async ({ browser }) => {
  const page = await browser.newPage();
  await page.goto('/cni/flannel/');
  const card = page.locator('[data-klab="lab"][data-klab-lab="vxlan-by-hand"]');
  await card.getByRole('button', { name: 'Tear down' }).click();
  await expect(card.locator('[data-klab-status]')).toContainText('Teardown finished', { timeout: 30_000 });
  await page.close();
});

test('Run it live: the walk crosses the reader\'s own sandbox, hop by hop', async ({ page }) => {
  await page.goto('/cni/flannel/');
  const figure = page.locator('[data-kwalk-walk="across-the-tunnel"]');
  await figure.getByRole('button', { name: 'Step through the walk' }).click();
  const live = figure.getByRole('button', { name: 'Run it live' });
  await expect(live).toBeVisible();
  await live.click();
  await expect(figure.getByRole('status')).toContainText(/Live walk done in \d+ ms: it shows what the lab expects/, { timeout: 60_000 });
  const hops = figure.locator('[data-kwalk-hop]');
  await expect(hops.first()).toContainText('pod-a sends');
  await expect(figure.locator('.kwalk__hop--outer').first()).toContainText('VXLAN packet');
  await expect(figure.locator('.kwalk__outcome').first()).toHaveText('Delivered (live).');
  // A second live walk, with the lab armed: the same path again.
  await live.click();
  await expect(figure.getByRole('status')).toContainText(/Live walk done in \d+ ms/, { timeout: 30_000 });
  await expect(hops.last()).toContainText('pod-a receives');
});
