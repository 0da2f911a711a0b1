import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { builtPages, watchProblems } from './support.ts';

function html(path: string): string {
  return readFileSync(`dist${path}index.html`, 'utf8');
}

test('search finds a page by a word from its body', async ({ page }) => {
  // A word from the body of "Running the labs" that its title does not contain.
  const body = html('/running-the-labs/').split('<main')[1]!.replace(/<[^>]+>/g, ' ');
  const word = [...body.matchAll(/\b[A-Za-z]{8,}\b/g)].map((m) => m[0]).find((w) => !/running|labs/i.test(w));
  expect(word, 'no searchable word found in the page body').toBeTruthy();
  await page.goto('/');
  await page.locator('site-search button[data-open-modal]').first().click();
  const input = page.locator('dialog[aria-label="Search"] input[type="search"], #starlight__search input').first();
  await input.fill(word!);
  const result = page.locator('dialog a[href*="/running-the-labs/"]').first();
  await expect(result).toBeVisible({ timeout: 10_000 });
});

test('the theme toggle switches a diagram between its light and dark colours', async ({ page }) => {
  const path = builtPages().find((p) => html(p).includes('<figure class="diagram"'));
  expect(path, 'no page with a diagram').toBeTruthy();
  await page.goto(path!);
  const svg = page.locator('figure.diagram').first().locator('svg');
  await expect(svg).toHaveCount(1);
  const select = page.locator('starlight-theme-select select').first();
  // The fill of the first box and of the first label, as drawn.
  const colours = () =>
    svg.evaluate((el) => {
      const fill = (sel: string) => getComputedStyle(el.querySelector(sel)!).fill;
      return { box: fill('rect'), text: fill('text') };
    });
  await select.selectOption('light');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await expect(svg).toBeVisible();
  const light = await colours();
  await select.selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(svg).toBeVisible();
  const dark = await colours();
  expect(dark.box).not.toBe(light.box);
  expect(dark.text).not.toBe(light.text);
  // The diagram's words are real text a reader can select and find, not pixels.
  const text = await svg.evaluate((el) => el.textContent ?? '');
  expect(text.trim().length).toBeGreaterThan(3);
});

test('a code block copy button copies the code', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const problems = watchProblems(page);
  const path = builtPages().find((p) => html(p).includes('data-code='));
  expect(path, 'no page with a code block').toBeTruthy();
  await page.goto(path!);
  const block = page.locator('.expressive-code').first();
  const button = block.locator('.copy button');
  const expected = (await button.getAttribute('data-code'))!.replace(/\u007f/g, '\n');
  await block.hover();
  await button.click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(expected);
  expect(copied.length).toBeGreaterThan(0);
  expect(problems).toEqual([]);
});
