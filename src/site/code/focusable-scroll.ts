import type { Element } from 'hast';
import { visit } from 'unist-util-visit';

/**
 * An Expressive Code plugin that makes every code block's <pre> focusable. Long commands scroll
 * sideways, and a scrollable region must be reachable by keyboard (WCAG 2.1.1; axe
 * `scrollable-region-focusable`). Expressive Code does not do this itself.
 */
export function focusableScroll() {
  return {
    name: 'guide-focusable-scroll',
    hooks: {
      postprocessRenderedBlock({ renderData }: { renderData: { blockAst: Element } }) {
        visit(renderData.blockAst, 'element', (node: Element) => {
          if (node.tagName === 'pre') node.properties.tabIndex = 0;
        });
      },
    },
  };
}
