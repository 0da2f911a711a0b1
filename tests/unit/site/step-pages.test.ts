import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { stepHref, stepPages } from '../../../src/components/lab/step-pages.ts';

it('maps each embedded step to the first page that embeds it, and links the card accordingly', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'step-pages-'));
  try {
    await mkdir(join(dir, 'cni'), { recursive: true });
    await mkdir(join(dir, '_partials'), { recursive: true });
    await writeFile(join(dir, 'cni/index.mdx'), '<Lab id="vx" />\n<LabStep lab="vx" step="fdb" />');
    await writeFile(join(dir, 'cni/flannel.mdx'), '<LabStep step="mtu" lab="vx"/>\n<LabStep lab="vx" step="fdb" />');
    await writeFile(join(dir, '_partials/x.mdx'), '<LabStep lab="vx" step="hidden" />');
    const pages = await stepPages(dir);
    assert.deepEqual([...pages.entries()].sort(), [['vx/fdb', ['cni/flannel', 'cni']], ['vx/mtu', ['cni/flannel']]]);
    const href = (step: string, currentSlug: string) => stepHref(pages, { lab: 'vx', step, anchor: `lab-vx-${step}`, currentSlug, base: '/guide/' });
    assert.equal(href('fdb', 'cni'), '#lab-vx-fdb');
    assert.equal(href('mtu', 'cni'), '/guide/cni/flannel/#lab-vx-mtu');
    assert.equal(href('fdb', 'cni/flannel'), '#lab-vx-fdb');
    assert.equal(href('fdb', 'dns'), '/guide/cni/flannel/#lab-vx-fdb');
    assert.equal(href('hidden', 'cni'), undefined);
    assert.equal(stepHref(pages, { lab: 'vx', step: 'hidden', anchor: 'a', currentSlug: 'x', base: '/', allHere: true }), '#a');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
