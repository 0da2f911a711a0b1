/**
 * Checks on the production build in dist/ (run after `npm run build`): every page that should be
 * there is, drafts are not, each page carries its metadata, and no internal link is broken.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { contentFiles, frontmatterOf, slugOf } from '../../src/site/content-files.ts';
import { findBrokenLinks, sourceOf } from '../support/links.ts';

const dist = 'dist';
const files = contentFiles('content');
const frontmatter = (file: string) => frontmatterOf(readFileSync(join('content', file), 'utf8'));
const builtPath = (file: string) => join(dist, slugOf(file), 'index.html');
const tracked = new Set(execFileSync('git', ['ls-files', 'content'], { encoding: 'utf8' }).split('\n'));
const pages = files.filter((f) => frontmatter(f).draft !== true);
const drafts = files.filter((f) => frontmatter(f).draft === true);

describe('production build', () => {
  it('has at least the home page, the labs page and two chapters', () => {
    assert.ok(pages.length >= 4, `only ${pages.length} non-draft pages`);
  });

  for (const file of pages) {
    it(`builds content/${file} with its metadata`, () => {
      const path = builtPath(file);
      assert.ok(existsSync(path), `content/${file} is not a draft but ${path} was not built`);
      const html = readFileSync(path, 'utf8');
      assert.match(html, /<link rel="canonical" href="https:\/\/[^"]+"/);
      assert.match(html, /<meta property="og:title" content="[^"]+"/);
      assert.match(html, /<meta name="description" content="[^"]+"/);
      if (frontmatter(file).template !== 'splash') {
        assert.match(html, /Edit page/, 'no edit link');
        if (tracked.has(`content/${file}`)) assert.match(html, /Last updated/, 'no last-updated date for a committed page');
      }
    });
  }

  for (const file of drafts) {
    it(`leaves the draft content/${file} out`, () => {
      assert.equal(existsSync(builtPath(file)), false);
    });
  }

  it('has a 404 page, a sitemap and a search index', () => {
    for (const path of ['404.html', 'sitemap-index.xml', 'pagefind/pagefind.js']) assert.ok(existsSync(join(dist, path)), `${path} missing`);
    const sitemap = readFileSync(join(dist, 'sitemap-0.xml'), 'utf8');
    for (const file of pages) assert.ok(sitemap.includes(`/${slugOf(file)}`), `${file} not in the sitemap`);
  });

  it('ships no Mermaid runtime, and each diagram once, themed by CSS', async () => {
    const assets = await readdir(join(dist, '_astro'));
    assert.equal(assets.filter((a) => /mermaid/i.test(a)).length, 0);
    for (const file of pages) {
      const html = readFileSync(builtPath(file), 'utf8');
      for (const figure of html.split('<figure class="diagram"').slice(1).map((f) => f.slice(0, f.indexOf('</figure>')))) {
        assert.equal(figure.match(/<svg\b/g)?.length, 1, `${file}: a diagram figure holds ${figure.match(/<svg\b/g)?.length ?? 0} SVGs`);
        const id = /<svg[^>]*\sid="([^"]+)"/.exec(figure)?.[1];
        assert.ok(figure.includes(`[data-theme='dark'] #${id}{--dg0:`), `${file}: diagram ${id} has no dark colours`);
      }
    }
  });

  it('has no broken internal links or anchors', async () => {
    const broken = await findBrokenLinks(dist, process.env.BASE_PATH ?? '/');
    assert.deepEqual(broken.map((b) => `${sourceOf(b.page)}: "${b.link}": ${b.reason}`), []);
  });
});
