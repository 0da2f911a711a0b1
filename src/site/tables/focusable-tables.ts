import type { Element, Root } from 'hast';
import { visit } from 'unist-util-visit';

/**
 * Makes every table in the chapters focusable. Starlight draws a Markdown table as a block that
 * scrolls sideways when it is wider than the column, and a scrollable region must be reachable by
 * keyboard (WCAG 2.1.1; axe `scrollable-region-focusable`), as code blocks are (see
 * ../code/focusable-scroll.ts). Whether a table overflows depends on the reader's screen, so
 * every table gets a tab stop.
 */
export function rehypeFocusableTables() {
  return function transform(tree: Root): void {
    visit(tree, 'element', (node: Element) => {
      if (node.tagName === 'table' && node.properties.tabIndex === undefined) node.properties.tabIndex = 0;
    });
  };
}
