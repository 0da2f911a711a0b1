/**
 * Every built page is valid HTML (html-validate: standard, document and accessibility rules), one
 * test per page. Only what the framework itself emits is let through, each case listed with its
 * reason in tests/support/html-validity.ts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { builtPages } from '../support/built-pages.ts';
import { validatePage } from '../support/html-validity.ts';

const dist = 'dist';

describe('valid HTML', () => {
  for (const path of [...builtPages(dist), '/404.html']) {
    it(`${path} is valid HTML`, async () => {
      const file = path.endsWith('.html') ? join(dist, path) : join(dist, path, 'index.html');
      const problems = await validatePage(readFileSync(file, 'utf8'));
      assert.deepEqual(problems.map((p) => `line ${p.line}: ${p.rule}: ${p.message} (${p.element.slice(-160)})`), []);
    });
  }
});
