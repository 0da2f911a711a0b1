import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { chapters, sidebarChapters } from '../../../src/site/chapters.ts';

it('puts only chapters with a published page in a production sidebar, and every chapter when drafts show', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'chapters-'));
  try {
    for (const { dir: chapter } of chapters) {
      await mkdir(join(dir, chapter), { recursive: true });
      await writeFile(join(dir, chapter, 'index.mdx'), '---\ntitle: T\ndraft: true\n---\n');
    }
    await writeFile(join(dir, 'cni', 'flannel.mdx'), '---\ntitle: Flannel\n---\n');
    await writeFile(join(dir, 'dns', 'index.mdx'), '---\ntitle: DNS\ndraft: false\n---\n');
    await rm(join(dir, 'ipv6'), { recursive: true });
    assert.deepEqual(sidebarChapters(dir, false).map((c) => c.dir), ['cni', 'dns']);
    assert.equal(sidebarChapters(dir, true).length, chapters.length);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
