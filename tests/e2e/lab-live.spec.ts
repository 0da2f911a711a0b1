/**
 * The lab components served by the local lab server (`npm start`, project lab-live): Run, output,
 * pass/fail marks, hints, Cancel, the free shell, on-demand terminal loading, accessibility.
 * The fixture labs (tests/fixtures/labs) appear at /lab-fixtures/.
 */
import { test, expect, type Page, type Locator } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

test.describe.configure({ mode: 'serial' });

const step = (page: Page, lab: string, id: string): Locator => page.locator(`[data-klab="step"][data-klab-lab="${lab}"][data-klab-step="${id}"]`);
const card = (page: Page, lab: string): Locator => page.locator(`[data-klab="lab"][data-klab-lab="${lab}"]`);
const terminalAsset = (url: string) => /\/_lab\/(terminal|xterm)[^/]*\.(js|css)$/.test(url);

/**
 * Waits until the terminal in `scope` shows `text`, as a reader looking at it sees it. xterm.js
 * draws only while its terminal is on screen (an IntersectionObserver pauses its renderer), and
 * blocks above it that render lazily (content-visibility: auto) can push it off screen as they
 * take their real height: a busy CI run showed rows frozen at the first line while every message
 * had arrived. So each look brings the terminal into view first.
 */
async function expectTerminal(scope: Locator, text: string, timeout = 15_000): Promise<void> {
  const rows = scope.locator('.xterm-rows');
  await expect(async () => {
    await rows.scrollIntoViewIfNeeded();
    await expect(rows).toContainText(text, { timeout: 1_000 });
  }).toPass({ timeout });
}

test.afterAll(async ({ browser }) => {
  // Leave nothing running: tear down both labs these tests started.
  const page = await browser.newPage();
  for (const [path, lab] of [['/lab-fixtures/', 'lab-fixture'], ['/network-model/pod-to-pod/', 'pod-network-by-hand']] as const) {
    await page.goto(path);
    const c = card(page, lab);
    await c.getByRole('button', { name: 'Tear down' }).click();
    await expect(c.locator('[data-klab-status]')).toContainText('Teardown finished', { timeout: 20_000 });
  }
  await page.close();
});

test('a chapter page runs a sandbox step: output and a pass mark, terminal loaded on first use only', async ({ page }) => {
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto('/network-model/pod-to-pod/');
  const s = step(page, 'pod-network-by-hand', 'pod-default-route');
  const run = s.getByRole('button', { name: /^Run step/ });
  await expect(run).toBeVisible();
  expect(requests.filter(terminalAsset), 'no terminal JS or CSS before first use').toEqual([]);
  await run.click();
  await expectTerminal(s, 'default via 10.244.1.1', 20_000);
  await expect(s.locator('.klab-mark--step')).toHaveText('✓ passed');
  await expect(s.getByRole('status')).toContainText('passed');
  expect(requests.filter(terminalAsset).length, 'terminal assets after first use').toBeGreaterThan(0);
});

test('a failing check shows a fail mark and opens its hint', async ({ page }) => {
  await page.goto('/lab-fixtures/');
  const s = step(page, 'lab-fixture', 'always-fails');
  await expect(s.locator('[data-klab-hint]')).not.toHaveAttribute('open', '');
  await s.getByRole('button', { name: /^Run step/ }).click();
  await expect(s.locator('.klab-mark--step')).toHaveText('✗ failed', { timeout: 20_000 });
  await expectTerminal(s, 'about-to-fail');
  await expect(s.locator('[data-klab-hint]')).toHaveAttribute('open', '');
  await expect(s.getByText('Fixture hint, shown on failure.')).toBeVisible();
  await expect(s.getByRole('status')).toContainText('failed');
});

test('Cancel stops a long step', async ({ page }) => {
  await page.goto('/lab-fixtures/');
  const s = step(page, 'lab-fixture', 'long');
  await s.getByRole('button', { name: /^Run step/ }).click();
  await expectTerminal(s, 'long-started', 20_000);
  await s.getByRole('button', { name: /^Cancel step/ }).click();
  // The step sleeps 31 s: "canceled" within this wait means the cancel ended it (how fast is
  // measured by npm run bench, not asserted here).
  await expect(s.locator('.klab-mark--step')).toHaveText('– canceled', { timeout: 20_000 });
  await s.locator('.xterm-rows').scrollIntoViewIfNeeded(); // drawn only on screen (expectTerminal)
  await page.waitForTimeout(500);
  const text = (await s.locator('.xterm-rows').textContent()) ?? '';
  expect(text.split('long-finished').length - 1, 'long-finished appears in the command only, never as output').toBe(1);
  await expect(s.getByRole('button', { name: /^Run step/ })).toBeEnabled();
});

test('the free shell echoes input', async ({ page }) => {
  await page.goto('/lab-fixtures/');
  const c = card(page, 'lab-fixture');
  await c.getByRole('button', { name: 'Start lab' }).click();
  await expect(c.locator('[data-klab-status]')).toContainText('Start finished', { timeout: 20_000 });
  await c.getByRole('button', { name: 'Open shell' }).click();
  await expect(c.getByRole('status')).toContainText('Shell open on host', { timeout: 10_000 });
  await page.keyboard.type('echo shell-says-$((6*7))\n');
  await expectTerminal(c.locator('.klab-term--shell'), 'shell-says-42', 10_000);
  await page.keyboard.press('Escape');
  await expect(c.getByRole('button', { name: 'Close shell' })).toBeFocused();
  await c.getByRole('button', { name: 'Close shell' }).click();
  await expect(c.locator('.klab-term--shell')).toBeHidden();
});

test('status changes are announced in live regions', async ({ page }) => {
  await page.goto('/lab-fixtures/');
  const s = step(page, 'lab-fixture', 'echo-ok');
  const status = s.locator('[data-klab-status]');
  await expect(status).toHaveAttribute('role', 'status');
  const texts: string[] = [];
  await page.exposeFunction('recordStatus', (t: string) => texts.push(t));
  await status.evaluate((el) => new MutationObserver(() => (window as unknown as { recordStatus(t: string): void }).recordStatus(el.textContent ?? '')).observe(el, { childList: true, characterData: true, subtree: true }));
  await s.getByRole('button', { name: /^Run step/ }).click();
  await expect(status).toContainText('Echo passes: passed', { timeout: 20_000 });
  expect(texts.some((t) => /running/.test(t))).toBe(true);
});

test('the live components have no serious accessibility violations', async ({ page }) => {
  await page.goto('/lab-fixtures/');
  await step(page, 'lab-fixture', 'echo-ok').getByRole('button', { name: /^Run step/ }).click();
  await expect(step(page, 'lab-fixture', 'echo-ok').locator('.klab-mark--step')).toHaveText('✓ passed', { timeout: 20_000 });
  for (const theme of ['dark', 'light']) {
    await page.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
    const results = await new AxeBuilder({ page }).include('[data-klab]').analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${theme}: ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  }
});

test('pages without a lab get no config and no script of ours', async ({ page }) => {
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto('/');
  expect(await page.locator('#lab-server-config').count()).toBe(0);
  expect(requests.filter((u) => u.includes('/_lab/'))).toEqual([]);
});
