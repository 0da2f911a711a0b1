import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { findBrokenLinks, sourceOf } from '../../support/links.ts';

describe('findBrokenLinks', () => {
  let dist: string;
  const page = (body: string) => `<!doctype html><html><body>${body}</body></html>`;
  async function write(path: string, html: string) {
    await mkdir(dirname(join(dist, path)), { recursive: true });
    await writeFile(join(dist, path), html);
  }
  before(async () => {
    dist = await mkdtemp(join(tmpdir(), 'links-'));
    await write('index.html', page('<a href="/cni/">ok</a><a href="/cni/#overlays">ok anchor</a><a href="https://example.org/x">external</a><img src="/logo.svg">'));
    await write('cni/index.html', page('<h2 id="overlays">Overlays</h2><a href="../">up</a><a href="/missing/">bad</a><a href="/cni/#nope">bad anchor</a><a href="#overlays">same page</a>'));
    await write('logo.svg', '<svg/>');
    await write('404.html', page('<a href="/whatever/">not checked</a>'));
  });
  after(() => rm(dist, { recursive: true, force: true }));

  it('reports exactly the missing page and the missing anchor', async () => {
    const broken = await findBrokenLinks(dist);
    assert.deepEqual(broken, [
      { page: '/cni/', link: '/missing/', reason: 'no such page or file' },
      { page: '/cni/', link: '/cni/#nope', reason: 'no element with id "nope" on /cni/' },
    ]);
  });

  it('checks links against the base path', async () => {
    const broken = await findBrokenLinks(dist, '/guide/');
    assert.ok(broken.some((b) => b.link === '/cni/' && /outside the base path/.test(b.reason)));
  });

  it('names the content file behind a page', () => {
    assert.equal(sourceOf('/'), 'content/index.mdx');
    assert.match(sourceOf('/cni/flannel/'), /^content\/cni\/flannel\.mdx/);
  });
});
