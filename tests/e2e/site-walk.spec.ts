/**
 * Packet walks on the static site: the recorded hops without JavaScript, stepping with the
 * keyboard (the player loads on first use only), the map following the current hop, and no walk
 * code on a page without a walk.
 */
import { expect, test } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

const walkCode = (url: string) => /PacketWalk|player\.[\w-]+\.js|live-walk/.test(url);

test('a recorded walk steps hop by hop with the keyboard; the player loads on first use', async ({ page }) => {
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto('/services/data-planes/');
  const figure = page.locator('[data-kwalk-walk="clusterip-iptables"]');
  const hops = figure.locator('[data-kwalk-hop]');
  expect(await hops.count()).toBeGreaterThanOrEqual(5);
  await expect(hops.first()).toContainText('client1 sends');
  expect(requests.filter((u) => /player\.[\w-]+\.js/.test(u)), 'no player before first use').toEqual([]);

  await figure.getByRole('button', { name: 'Step through the walk' }).focus();
  await page.keyboard.press('Enter');
  await expect(hops.first()).toHaveAttribute('aria-current', 'step');
  expect(requests.filter((u) => /player\.[\w-]+\.js/.test(u)).length, 'the player after first use').toBeGreaterThan(0);
  await page.keyboard.press('ArrowRight');
  await expect(hops.nth(1)).toHaveAttribute('aria-current', 'step');
  await expect(hops.first()).not.toHaveAttribute('aria-current', 'step');
  await expect(figure.locator('.kwalk__map [data-kwalk-ns].is-current')).toHaveAttribute('data-kwalk-ns', 'node1');
  await expect(figure.getByRole('status')).toContainText('Hop 2 of');
  await page.keyboard.press('ArrowLeft');
  await expect(hops.first()).toHaveAttribute('aria-current', 'step');
  await expect(figure.locator('.kwalk__map [data-kwalk-ns].is-current')).toHaveAttribute('data-kwalk-ns', 'client1');
  await expect(figure.getByRole('button', { name: 'Previous hop' })).toBeDisabled();
  // Not served by the lab server: no live button.
  await expect(figure.getByRole('button', { name: 'Run it live' })).toBeHidden();
  const results = await new AxeBuilder({ page }).include('[data-kwalk]').analyze();
  expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`)).toEqual([]);
});

test('a page without a walk loads no walk code', async ({ page }) => {
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto('/running-the-labs/');
  await expect(page.locator('main h1')).toBeVisible();
  await page.waitForLoadState('networkidle');
  expect(await page.locator('[data-kwalk]').count()).toBe(0);
  expect(requests.filter(walkCode)).toEqual([]);
});
