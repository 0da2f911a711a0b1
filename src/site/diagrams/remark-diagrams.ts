import { relative } from 'node:path';
import type { Code, Root } from 'mdast';
import type { Element, ElementContent } from 'hast';
import { fromHtmlIsomorphic } from 'hast-util-from-html-isomorphic';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { DiagramCache } from './cache.ts';
import { diagramKey } from './key.ts';
import { diagramId, NoBrowserError, renderDiagrams } from './render.ts';
import { renameIds } from './svg.ts';

export interface DiagramOptions {
  /** Folder of the committed diagram cache. */
  cacheDir: string;
  /** Project root, to print short file names in errors. */
  root: string;
}

/** Where a diagram sits, for error messages: `content/cni/flannel.mdx:42`. */
function where(file: VFile, node: Code, root: string): string {
  const path = file.path ? relative(root, file.path) : '<unknown file>';
  return `${path}:${node.position?.start.line ?? '?'}`;
}

/** The checks a diagram must pass before it is worth rendering. Returns problems, empty if none. */
export function lintDiagram(source: string): string[] {
  const problems: string[] = [];
  if (!/^\s*accTitle\s*:\s*\S/m.test(source)) {
    problems.push('it has no accessible title: add a line `accTitle: <what the diagram shows>` after the diagram type line');
  }
  if (!/^\s*accDescr\s*(:\s*\S|\{)/m.test(source)) {
    problems.push('it has no accessible description: add a line `accDescr: <one or two sentences>` after accTitle');
  }
  return problems;
}

/**
 * The figure for one diagram: its SVG inline (real text, no request), themed by CSS. A diagram
 * that appears a second time on a page gets its ids suffixed, so ids stay unique on the page.
 */
function toFigure(key: string, svg: string, occurrence: number): Element {
  const id = diagramId(key);
  const own = occurrence === 1 ? svg : renameIds(svg, (old) => old.replace(id, `${id}-${occurrence}`));
  const children = fromHtmlIsomorphic(own, { fragment: true }).children as ElementContent[];
  return { type: 'element', tagName: 'figure', properties: { className: ['diagram'], dataDiagram: key }, children };
}

/**
 * Replaces ```mermaid fences with static SVG, one per diagram, whose colours follow Starlight's
 * theme through CSS custom properties. Runs as a remark plugin so that Expressive Code never sees the fence.
 * Rendered SVG comes from the committed cache; only new or changed diagrams need a browser.
 */
export function remarkDiagrams(options: DiagramOptions) {
  const cache = new DiagramCache(options.cacheDir);
  return async function transform(tree: Root, file: VFile): Promise<void> {
    const nodes: Code[] = [];
    visit(tree, 'code', (node: Code) => {
      if (node.lang === 'mermaid') nodes.push(node);
    });
    if (nodes.length === 0) return;

    const problems = nodes.flatMap((node) => lintDiagram(node.value).map((p) => `${where(file, node, options.root)}: diagram: ${p}.`));
    if (problems.length) throw new Error(problems.join('\n'));

    const keyed = nodes.map((node) => ({ node, key: diagramKey(node.value) }));
    const found = await Promise.all(keyed.map(({ key }) => cache.get(key)));
    const missing = keyed.filter((_, i) => !found[i]);

    if (missing.length) {
      let outcomes;
      try {
        outcomes = await renderDiagrams(missing.map(({ node, key }) => ({ key, source: node.value })));
      } catch (error) {
        if (!(error instanceof NoBrowserError)) throw error;
        const list = missing.map(({ node }) => `  ${where(file, node, options.root)}`).join('\n');
        throw new Error(
          `These diagrams are new or changed and not in the diagram cache (${relative(options.root, options.cacheDir)}), ` +
            `and no browser could be started to render them:\n${list}\n` +
            `Install Chromium (Debian/Ubuntu: apt-get install chromium; Fedora: dnf install chromium; macOS: brew install --cask chromium) ` +
            `or set CHROMIUM_PATH to a Chromium/Chrome executable, build again, and commit the new files in ${relative(options.root, options.cacheDir)}/.\n` +
            `(Browser error: ${(error as Error).message})`,
        );
      }
      const failures: string[] = [];
      await Promise.all(
        missing.map(async ({ node, key }, i) => {
          const outcome = outcomes[i]!;
          if (!outcome.ok) {
            failures.push(`${where(file, node, options.root)}: ${outcome.error}`);
            return;
          }
          await cache.set(key, outcome.svg);
          found[keyed.findIndex((k) => k.key === key && k.node === node)] = outcome.svg;
        }),
      );
      if (failures.length) throw new Error(`${failures.join('\n')}\nFix the diagram source (try it at https://mermaid.live) and build again.`);
    }

    const seen = new Map<string, number>();
    keyed.forEach(({ node, key }, i) => {
      seen.set(key, (seen.get(key) ?? 0) + 1);
      const figure = toFigure(key, found[i]!, seen.get(key)!);
      const replacement = node as unknown as { type: string; data: Record<string, unknown> };
      replacement.type = 'diagram';
      replacement.data = { hName: figure.tagName, hProperties: figure.properties, hChildren: figure.children };
    });
  };
}
