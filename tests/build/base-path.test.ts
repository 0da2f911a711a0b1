/** The guide published under a sub-path (BASE_PATH) keeps every internal link working. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { it } from 'node:test';
import { findBrokenLinks } from '../support/links.ts';
import { scratchSite } from '../support/scratch-site.ts';

it('builds under BASE_PATH=/guide/ with no broken internal links', async () => {
  const site = await scratchSite({
    'network-model/index.mdx': "---\ntitle: Model\ndescription: d\n---\n\nSee [the labs](/running-the-labs/) and [home](/).\n\n```mermaid\nflowchart LR\n  accTitle: Pod to pod across nodes\n  accDescr: A packet leaves pod A on node 1, crosses to node 2 and reaches pod B.\n  A[pod A] --> N1[node 1] --> N2[node 2] --> B[pod B]\n```\n",
  });
  try {
    const result = await site.build({ BASE_PATH: '/guide/' });
    assert.equal(result.code, 0, result.output.slice(-2000));
    const broken = await findBrokenLinks(join(site.dir, 'dist'), '/guide/');
    assert.deepEqual(broken, []);
  } finally {
    await site.remove();
  }
});
