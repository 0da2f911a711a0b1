/**
 * The page <-> client <-> server names have one home (src/contract/dom.ts): code names a data-klab
 * attribute only through it, and the stylesheets (which cannot import) use only names it lists.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { klab, klabData, klabSelector, LAB_MARKER } from '../../../src/contract/dom.ts';

const files = (dir: string, ext: RegExp) =>
  readdirSync(dir, { recursive: true }).map(String).filter((f) => ext.test(f)).map((f) => join(dir, f));
const names = new Set<string>(Object.values(klab));
const literal = /data-klab(?:-[a-z]+)*/g;

describe('lab component contract', () => {
  it('code outside src/contract writes no data-klab name literally', () => {
    const offenders = [...files('src/components', /\.(astro|ts)$/), ...files('src/server', /\.ts$/)]
      .flatMap((file) => [...readFileSync(file, 'utf8').matchAll(literal)].map((m) => `${file}: ${m[0]}`));
    assert.deepEqual(offenders, []);
  });
  it('stylesheets use only names the contract lists', () => {
    const unknown = [...files('src/components', /\.css$/), ...files('src/styles', /\.css$/)]
      .flatMap((file) => [...readFileSync(file, 'utf8').matchAll(literal)].filter((m) => !names.has(m[0])).map((m) => `${file}: ${m[0]}`));
    assert.deepEqual(unknown, []);
  });
  it('builds attributes and selectors from the names', () => {
    assert.deepEqual(klabData({ component: 'step', lab: 'a', hint: true, mark: false }), { 'data-klab': 'step', 'data-klab-lab': 'a', 'data-klab-hint': '' });
    assert.equal(klabSelector('lab', 'x"y'), '[data-klab-lab="x\\"y"]');
    assert.equal(klabSelector('live'), '[data-klab-live]');
    assert.equal(LAB_MARKER, 'data-klab="');
  });
});
