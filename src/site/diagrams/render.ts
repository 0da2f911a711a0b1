import { createMermaidRenderer, type MermaidRenderer } from 'mermaid-isomorphic';
import { chromiumArgs, findChromium } from './browser.ts';
import type { RenderedDiagram } from './cache.ts';
import { diagramThemes, renderSettings } from './settings.ts';

export interface DiagramRequest {
  key: string;
  source: string;
}

export type RenderOutcome = { ok: true; diagram: RenderedDiagram } | { ok: false; error: string };

/** Thrown when a diagram needs rendering and no browser can be started. */
export class NoBrowserError extends Error {}

let renderer: { executablePath: string | undefined; render: MermaidRenderer } | undefined;

function getRenderer(): MermaidRenderer {
  // One renderer per browser path: it keeps one Chromium open while any page is rendering.
  const executablePath = findChromium();
  if (!renderer || renderer.executablePath !== executablePath) {
    renderer = { executablePath, render: createMermaidRenderer({ launchOptions: { executablePath, args: chromiumArgs } }) };
  }
  return renderer.render;
}

/** Renders diagrams in every theme. Each id is prefixed with the key, so two diagrams on one page never share CSS. */
export async function renderDiagrams(requests: DiagramRequest[]): Promise<RenderOutcome[]> {
  const outcomes: RenderOutcome[] = requests.map(() => ({ ok: true, diagram: {} as RenderedDiagram }));
  for (const theme of diagramThemes) {
    let results;
    try {
      results = await Promise.all(
        requests.map(({ key, source }) =>
          getRenderer()([source], {
            prefix: `diagram-${key}-${theme}`,
            mermaidConfig: { ...renderSettings.common, theme: renderSettings.themes[theme] },
          }).then(([result]) => result!),
        ),
      );
    } catch (error) {
      // A browser that failed to start must not be reused by the next page.
      renderer = undefined;
      throw new NoBrowserError(String((error as Error).message ?? error).split('\n')[0]);
    }
    results.forEach((result, index) => {
      const outcome = outcomes[index]!;
      if (!outcome.ok) return;
      if (result.status === 'rejected') {
        outcomes[index] = { ok: false, error: String((result.reason as Error)?.message ?? result.reason) };
      } else {
        outcome.diagram[theme] = result.value.svg;
      }
    });
  }
  return outcomes;
}
