import type { Definition, Link, Root } from 'mdast';
import { visit } from 'unist-util-visit';

/**
 * Prefixes root-relative Markdown links (`[DNS](/dns/)`) with the site's base path, so chapters
 * can link by site path and still work when the guide is published under a sub-path
 * (`BASE_PATH=/k8s-networking/`). Links that are external, protocol-relative or relative are left alone.
 */
export function remarkBaseLinks(options: { base: string }) {
  const base = options.base.replace(/\/+$/, '');
  return function transform(tree: Root): void {
    if (!base) return;
    visit(tree, ['link', 'definition'], (node) => {
      const link = node as Link | Definition;
      if (link.url.startsWith('/') && !link.url.startsWith('//') && !link.url.startsWith(`${base}/`)) {
        link.url = `${base}${link.url}`;
      }
    });
  };
}
