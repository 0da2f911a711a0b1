import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { contentFiles, frontmatterOf, isDraft, slugOf } from '../../../src/site/content-files.ts';

it('lists pages the way the content loader does, and maps them to slugs and drafts', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'content-files-'));
  try {
    for (const sub of ['cni', '_diagrams', 'dns/_partials']) await mkdir(join(dir, sub), { recursive: true });
    await writeFile(join(dir, 'index.mdx'), '---\ntitle: Home\n---\n');
    await writeFile(join(dir, 'cni/flannel.mdx'), '---\ntitle: Flannel\ndraft: true\n---\n');
    await writeFile(join(dir, 'cni/notes.md'), 'no frontmatter');
    await writeFile(join(dir, 'cni/_wip.mdx'), '');
    await writeFile(join(dir, 'dns/_partials/x.mdx'), '');
    await writeFile(join(dir, '_diagrams/a.light.svg'), '<svg/>');
    assert.deepEqual(contentFiles(dir), ['cni/flannel.mdx', 'cni/notes.md', 'index.mdx']);
    assert.deepEqual(contentFiles(dir).map(slugOf), ['cni/flannel', 'cni/notes', '']);
    assert.equal(slugOf('cni/index.mdx'), 'cni');
    assert.equal(isDraft(join(dir, 'cni/flannel.mdx')), true);
    assert.equal(isDraft(join(dir, 'index.mdx')), false);
    assert.deepEqual(frontmatterOf('no frontmatter'), {});
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
