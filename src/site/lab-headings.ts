/**
 * Heading levels for the lab components. A `<Lab>` card or a `<LabStep>` titles itself with a
 * heading one level below the section it sits in: under the page title (before any `##`) that is
 * an <h2>, inside a `##` section an <h3>, and so on, so the page's outline never skips a level
 * wherever an author places a step. Components render after remark, so this remark plugin, which
 * sees the page's headings, passes the level to each component as its `headingLevel` prop.
 */
import type { Root } from 'mdast';
import { visit } from 'unist-util-visit';

export const LAB_COMPONENTS = new Set(['Lab', 'LabStep']);

interface JsxElement {
  type: 'mdxJsxFlowElement' | 'mdxJsxTextElement';
  name: string | null;
  attributes: { type: string; name?: string; value?: unknown }[];
}

export function remarkLabHeadings() {
  return function transform(tree: Root): void {
    // The page title (Starlight's <h1>) is the first level.
    let depth = 1;
    visit(tree, (node: { type: string }) => {
      if (node.type === 'heading') depth = (node as unknown as { depth: number }).depth;
      if (node.type !== 'mdxJsxFlowElement' && node.type !== 'mdxJsxTextElement') return;
      const element = node as unknown as JsxElement;
      if (!element.name || !LAB_COMPONENTS.has(element.name)) return;
      if (element.attributes.some((a) => a.type === 'mdxJsxAttribute' && a.name === 'headingLevel')) return;
      element.attributes.push({ type: 'mdxJsxAttribute', name: 'headingLevel', value: String(Math.min(depth + 1, 6)) });
    });
  };
}

/** The heading tag for a component's `headingLevel` prop (a number or its string; default `fallback`). */
export function headingTag(level: unknown, fallback: number): `h${2 | 3 | 4 | 5 | 6}` {
  const n = Number(level ?? fallback);
  return `h${Number.isInteger(n) && n >= 2 && n <= 6 ? n : fallback}` as `h${2 | 3 | 4 | 5 | 6}`;
}
