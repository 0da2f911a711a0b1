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

test('the theme toggle switches diagrams between their light and dark renderings', async ({ page }) => {
  const path = builtPages().find((p) => html(p).includes('<figure class="diagram"'));
  expect(path, 'no page with a diagram').toBeTruthy();
  await page.goto(path!);
  const figure = page.locator('figure.diagram').first();
  const select = page.locator('starlight-theme-select select').first();
  await select.selectOption('light');
  await expect(figure.locator('.diagram-light svg')).toBeVisible();
  await expect(figure.locator('.diagram-dark svg')).toBeHidden();
  await select.selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(figure.locator('.diagram-dark svg')).toBeVisible();
  await expect(figure.locator('.diagram-light svg')).toBeHidden();
  // The diagram's words are real text a reader can select and find, not pixels.
  const text = await figure.locator('.diagram-dark svg').evaluate((svg) => svg.textContent ?? '');
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
