import { expect, test } from '@playwright/test';
import { chapters } from '../../src/site/chapters.ts';
import { builtPages, watchProblems } from './support.ts';

test('the sidebar lists the published chapters and leads to them', async ({ page }) => {
  await page.goto('/running-the-labs/');
  const sidebar = page.locator('nav[aria-label="Main"]');
  await expect(sidebar.getByText('Start here')).toBeVisible();
  const published = chapters.filter(({ dir }) => builtPages().some((p) => p.startsWith(`/${dir}/`)));
  expect(published.length).toBeGreaterThanOrEqual(2);
  // On a page outside every chapter, every chapter is folded to its title.
  await expect(sidebar.locator('details:not([open]) > summary')).toHaveCount(published.length);
  // A chapter with no published page has no sidebar group: it would be an empty dead end.
  for (const { label } of chapters.filter((c) => !published.includes(c))) {
    await expect(sidebar.locator('summary', { hasText: label })).toHaveCount(0);
  }
  for (const { label, dir } of published) {
    const summary = sidebar.locator('summary', { hasText: label });
    await expect(summary).toBeVisible();
    // Chapters other than the one being read are folded to their titles: unfold, then follow.
    const link = sidebar.locator(`a[href="/${dir}/"]`).first();
    if (!(await link.isVisible())) await summary.click();
    await link.click();
    await expect(page).toHaveURL(new RegExp(`/${dir}/$`));
    const current = page.locator('nav[aria-label="Main"]');
    await expect(current.locator(`a[href="/${dir}/"]`).first()).toHaveAttribute('aria-current', 'page');
    await expect(current.locator('details[open] > summary', { hasText: label })).toBeVisible();
  }
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  test('the menu opens, shows the chapters and navigates', async ({ page }) => {
    const problems = watchProblems(page);
    // The home page is a splash page without a sidebar; any chapter page has the menu.
    await page.goto('/running-the-labs/');
    const toggle = page.locator('button[popovertarget="starlight__sidebar"]');
    await expect(toggle).toBeVisible();
    await expect(page.locator('nav[aria-label="Main"]')).toBeHidden();
    await toggle.click();
    await expect.poll(() => page.locator('#starlight__sidebar').evaluate((el) => el.matches(':popover-open'))).toBe(true);
    const link = page.locator('nav[aria-label="Main"] a[href="/network-model/"]').first();
    const chapter = chapters.find((c) => c.dir === 'network-model')!.label;
    await page.locator('nav[aria-label="Main"] summary', { hasText: chapter }).click();
    await expect(link).toBeVisible();
    await link.click();
    await expect(page).toHaveURL(/\/network-model\/$/);
    expect(problems).toEqual([]);
  });
});
