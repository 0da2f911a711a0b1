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

interface Pending {
  request: DiagramRequest;
  resolve: (outcome: RenderOutcome) => void;
  reject: (error: Error) => void;
}

/** How long to gather requests from pages being built at the same time into one batch. */
const gatherMs = 30;
let queue: Pending[] = [];
let flushTimer: ReturnType<typeof setTimeout> | undefined;

/**
 * Renders diagrams in every theme. Requests from all pages built at about the same time are
 * rendered together, one browser page per theme: loading Mermaid into a page costs far more than
 * drawing one diagram, so a batch of 40 costs little more than one.
 */
export function renderDiagrams(requests: DiagramRequest[]): Promise<RenderOutcome[]> {
  const outcomes = requests.map((request) => new Promise<RenderOutcome>((resolve, reject) => queue.push({ request, resolve, reject })));
  flushTimer ??= setTimeout(() => void flush(), gatherMs);
  return Promise.all(outcomes);
}

async function flush(): Promise<void> {
  flushTimer = undefined;
  const batch = queue;
  queue = [];
  try {
    const outcomes = await renderBatch(batch.map((p) => p.request));
    batch.forEach((p, i) => p.resolve(outcomes[i]!));
  } catch (error) {
    for (const p of batch) p.reject(error as Error);
  }
}

/**
 * Ids in an SVG are what its CSS and markers refer to; each diagram gets its own,
 * `diagram-<key>-<theme>-0`, so two diagrams on one page never share styles.
 */
function renameIds(svg: string, batchPrefix: string, index: number, key: string, theme: string): string {
  return svg.replace(new RegExp(`${batchPrefix}-${index}(?!\\d)`, 'g'), `diagram-${key}-${theme}-0`);
}

async function renderBatch(requests: DiagramRequest[]): Promise<RenderOutcome[]> {
  const outcomes: RenderOutcome[] = requests.map(() => ({ ok: true, diagram: {} as RenderedDiagram }));
  for (const theme of diagramThemes) {
    const batchPrefix = `guide-batch-${theme}`;
    let results;
    try {
      results = await getRenderer()(
        requests.map((r) => r.source),
        { prefix: batchPrefix, mermaidConfig: { ...renderSettings.common, theme: renderSettings.themes[theme] } },
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
        outcome.diagram[theme] = renameIds(result.value.svg, batchPrefix, index, requests[index]!.key, theme);
      }
    });
  }
  return outcomes;
}
