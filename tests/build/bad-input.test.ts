/**
 * Bad input makes the build (or the link check) fail, naming the file and what to do.
 * Each case builds a scratch copy of the site holding one broken page.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { findBrokenLinks, sourceOf } from '../support/links.ts';
import { scratchSite } from '../support/scratch-site.ts';

async function buildWith(pages: Record<string, string>) {
  const site = await scratchSite(pages);
  try {
    return { ...(await site.build()), links: await findBrokenLinks(join(site.dir, 'dist')).catch(() => []) };
  } finally {
    await site.remove();
  }
}

describe('bad input', { concurrency: 1 }, () => {
  it('a good scratch page builds (control case)', async () => {
    const result = await buildWith({ 'network-model/index.mdx': '---\ntitle: Model\ndescription: d\nk8sVersion: \'1.37\'\n---\n\nText.\n' });
    assert.equal(result.code, 0, result.output.slice(-2000));
  });

  it('a bad frontmatter field fails the build naming the file and the field', async () => {
    const result = await buildWith({ 'network-model/index.mdx': '---\ntitle: Model\ndescription: d\nk8sVersion: 1.37\n---\n\nText.\n' });
    assert.notEqual(result.code, 0);
    assert.match(result.output, /network-model\/index\.mdx/);
    assert.match(result.output, /k8sVersion/);
  });

  it('a misspelt frontmatter key fails the build naming the file and the key', async () => {
    const result = await buildWith({ 'network-model/index.mdx': "---\ntitle: Model\ndescription: d\nk8sversion: '1.37'\n---\n\nText.\n" });
    assert.notEqual(result.code, 0);
    assert.match(result.output, /network-model\/index\.mdx/);
    assert.match(result.output, /k8sversion/);
  });

  it('broken MDX fails the build naming the file and line', async () => {
    const result = await buildWith({ 'network-model/index.mdx': '---\ntitle: Model\ndescription: d\n---\n\nText.\n\n<div>\nnever closed\n' });
    assert.notEqual(result.code, 0);
    assert.match(result.output, /content\/network-model\/index\.mdx/);
    assert.match(result.output, /Expected a closing tag for `<div>`|closing tag/);
  });

  it('an invalid Mermaid diagram fails the build naming file and line', async () => {
    const result = await buildWith({
      'network-model/index.mdx': '---\ntitle: Model\ndescription: d\n---\n\nText.\n\n```mermaid\nflowchart LR\n  accTitle: t\n  accDescr: d\n  A -->> ((B\n```\n',
    });
    assert.notEqual(result.code, 0);
    assert.match(result.output, /content\/network-model\/index\.mdx:8: Mermaid could not parse this diagram/);
  });

  it('a link to a missing page is reported by the link check with the page to fix', async () => {
    const result = await buildWith({ 'network-model/index.mdx': '---\ntitle: Model\ndescription: d\n---\n\nSee [DNS](/dns-typo/).\n' });
    assert.equal(result.code, 0, result.output.slice(-2000));
    assert.deepEqual(
      result.links.map((b) => `${sourceOf(b.page)}: ${b.link}: ${b.reason}`),
      ['content/network-model.mdx (or content/network-model/index.mdx): /dns-typo/: no such page or file'],
    );
  });
});
