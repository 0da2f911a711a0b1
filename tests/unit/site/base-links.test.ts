import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Root } from 'mdast';
import { remarkBaseLinks } from '../../../src/site/links/remark-base-links.ts';

function urlsAfter(base: string, urls: string[]): string[] {
  const tree: Root = { type: 'root', children: [{ type: 'paragraph', children: urls.map((url) => ({ type: 'link', url, children: [] })) }] };
  remarkBaseLinks({ base })(tree);
  return (tree.children[0] as { children: { url: string }[] }).children.map((l) => l.url);
}

describe('remarkBaseLinks', () => {
  it('prefixes root-relative links with the base path, once', () => {
    assert.deepEqual(urlsAfter('/guide/', ['/dns/', '/cni/#overlays', '/guide/dns/']), ['/guide/dns/', '/guide/cni/#overlays', '/guide/dns/']);
  });
  it('leaves external, protocol-relative and relative links alone', () => {
    const urls = ['https://kubernetes.io/', '//cdn.example/x', '../dns/', '#anchor', 'mailto:a@b.c'];
    assert.deepEqual(urlsAfter('/guide/', urls), urls);
  });
  it('changes nothing at the root base', () => {
    assert.deepEqual(urlsAfter('/', ['/dns/']), ['/dns/']);
  });
});
