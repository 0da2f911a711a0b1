import type { Page } from '@playwright/test';

export { builtPages } from '../support/built-pages.ts';

/**
 * Collects console errors and failed requests while a test runs, so each test can assert that a
 * page loaded cleanly: a missing asset or a script error is a defect even if the page looks fine.
 */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    // Moving to the next page aborts what the last one was still loading (idle search UI, favicon).
    if (request.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return problems;
}
