/**
 * The lab components as online readers get them (the static build, no lab server; project
 * lab-static): no Run buttons, how to run the lab locally, recordings played on request.
 */
import { test, expect } from '@playwright/test';

test('a lab page has no Run buttons and says how to run the lab locally', async ({ page }) => {
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto('/network-model/pod-to-pod/');
  await expect(page.locator('[data-klab="step"]').first()).toBeVisible();
  expect(await page.getByRole('button', { name: /^Run/ }).count()).toBe(0);
  expect(await page.locator('#lab-server-config').count()).toBe(0);
  await expect(page.locator('[data-klab-offline]').first()).toContainText('npm start');
  await expect(page.getByText('npm run lab -- run pod-network-by-hand').first()).toBeVisible();
  expect(requests.filter((u) => /\/_lab\/|asciinema|replay\./.test(u)), 'no player or live client before a click').toEqual([]);
});

test('a recorded step plays its recording on request', async ({ page }) => {
  await page.goto('/network-model/pod-to-pod/');
  const s = page.locator('[data-klab="step"][data-klab-step="pod-default-route"]');
  await s.getByRole('button', { name: /Play recording/ }).click();
  await expect(s.locator('.ap-player')).toBeVisible({ timeout: 10_000 });
  await expect(s.locator('.ap-term, .ap-terminal').first()).toContainText('default via 10.244.1.1', { timeout: 10_000 });
});

test('solutions are never in the page', async ({ page }) => {
  await page.goto('/network-model/pod-to-pod/');
  const labText = (await page.locator('[data-klab]').allTextContents()).join('\n');
  expect(labText).toContain('Route node 2');
  expect(labText).not.toContain('ip route add 10.244.2.0/24 via 192.168.0.12 dev eth0');
});
