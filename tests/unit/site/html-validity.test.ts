import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { frameworkAllowances, validatePage } from '../../../tests/support/html-validity.ts';

const page = (body: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>T</title></head><body>${body}</body></html>`;

describe('html validity check', () => {
  it('passes a clean page (control)', async () => {
    assert.deepEqual(await validatePage(page('<main><h1>T</h1><p>x</p></main>')), []);
  });
  it('reports duplicate ids, a skipped heading level and an attribute SVG does not allow', async () => {
    const problems = await validatePage(page('<main><h1>T</h1><h3 id="a">x</h3><p id="a">y</p><svg><rect name="A"/></svg></main>'));
    const rules = problems.map((p) => p.rule);
    assert.ok(rules.includes('no-dup-id'), rules.join(', '));
    assert.ok(rules.includes('heading-level'), rules.join(', '));
    assert.ok(rules.includes('svg-attribute'), rules.join(', '));
    assert.match(problems.find((p) => p.rule === 'svg-attribute')!.message, /"name" is not allowed on SVG <rect>/);
  });
  it('accepts the SVG attributes diagrams use', async () => {
    const svg = '<svg viewBox="0 0 1 1" role="img" aria-label="x" data-id="a"><g transform="x"><rect x="0" y="0" rx="1" fill="red" stroke-width="1" data-look="classic"/><text dominant-baseline="central">t</text></g></svg>';
    assert.deepEqual(await validatePage(page(`<main><h1>T</h1>${svg}</main>`)), []);
  });
  it("lets through the framework's markup it lists, and only there", async () => {
    const ec = '<figure><pre><code><div class="ec-line">x</div></code></pre></figure>';
    assert.deepEqual(await validatePage(page(`<main><h1>T</h1>${ec}</main>`)), []);
    const ours = await validatePage(page('<main><h1>T</h1><pre><code><div class="klab-line">x</div></code></pre></main>'));
    assert.deepEqual(ours.map((p) => p.rule), ['element-permitted-content']);
  });
  it('gives every allowance a rule and a reason', () => {
    for (const a of frameworkAllowances) {
      assert.match(a.rule, /^[a-z-]+$/);
      assert.ok(a.why.length > 20, a.rule);
    }
  });
});
