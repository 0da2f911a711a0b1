import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { guideFrontmatter } from '../../../src/site/frontmatter.ts';

describe('guide frontmatter', () => {
  it('accepts a Kubernetes minor version', () => {
    assert.deepEqual(guideFrontmatter.parse({ k8sVersion: '1.37' }), { k8sVersion: '1.37' });
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
});
