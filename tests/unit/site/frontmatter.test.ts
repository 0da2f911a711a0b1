import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'astro/zod';
import { docsSchema } from '@astrojs/starlight/schema';
import { guideFrontmatter } from '../../../src/site/frontmatter.ts';

// The schema the content collection uses: Starlight's fields merged into ours.
const pageSchema = docsSchema({ extend: guideFrontmatter })({ image: () => z.string() } as never);

describe('guide frontmatter', () => {
  it('accepts a Kubernetes minor version', () => {
    assert.deepEqual(guideFrontmatter.parse({ k8sVersion: '1.37' }).k8sVersion, '1.37');
  });
  it('rejects a version YAML read as a number, saying how to write it', () => {
    const result = guideFrontmatter.safeParse({ k8sVersion: 1.37 });
    assert.equal(result.success, false);
    assert.deepEqual(result.error?.issues[0]?.path, ['k8sVersion']);
  });
  it('rejects a patch version with the expected form in the message', () => {
    const result = guideFrontmatter.safeParse({ k8sVersion: '1.37.1' });
    assert.equal(result.success, false);
    assert.match(result.error!.issues[0]!.message, /k8sVersion: '1\.37'/);
  });
  it("accepts every Starlight field a page uses, with Starlight's defaults", () => {
    const page = pageSchema.parse({ title: 'T', description: 'D', k8sVersion: '1.37', sidebar: { order: 2, label: 'L' }, draft: true, template: 'splash' });
    assert.equal(page.sidebar.order, 2);
    assert.equal(page.draft, true);
    assert.equal(pageSchema.parse({ title: 'T' }).sidebar.hidden, false);
  });
  it('rejects a misspelt top-level key, naming it', () => {
    const result = pageSchema.safeParse({ title: 'T', k8sversion: '1.37' });
    assert.equal(result.success, false);
    assert.match(result.error!.issues[0]!.message, /k8sversion/);
  });
  it('rejects a misspelt sidebar key, naming it and where', () => {
    const result = pageSchema.safeParse({ title: 'T', sidebar: { ordr: 2 } });
    assert.equal(result.success, false);
    assert.deepEqual(result.error!.issues[0]!.path, ['sidebar']);
    assert.match(result.error!.issues[0]!.message, /ordr/);
  });
});
