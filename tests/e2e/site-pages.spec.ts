/**
 * Page-wide checks, one test per built page and theme (generated from the sitemap, so new pages
 * are checked without editing this file): the page loads with no console error, no failed
 * request and no HTTP error, shows its title, and has no serious or critical accessibility
 * violation (axe) in that theme. Each test's time limit is the same however many pages there are.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { builtPages, watchProblems } from './support.ts';

for (const path of builtPages()) {
  for (const theme of ['light', 'dark'] as const) {
    test(`${path} (${theme} theme) loads cleanly and has no serious accessibility violation`, async ({ page }) => {
      const problems = watchProblems(page);
      await page.addInitScript((t) => localStorage.setItem('starlight-theme', t), theme);
      await page.goto(path);
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      await expect(page.locator('main h1').first()).toBeVisible();
      const results = await new AxeBuilder({ page }).analyze();
      const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(serious.map((v) => `${v.id} (${v.impact}): ${v.help}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
      expect(problems).toEqual([]);
    });
  }
}
