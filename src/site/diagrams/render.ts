import { createMermaidRenderer, type MermaidRenderer } from 'mermaid-isomorphic';
import { chromiumArgs, findChromium } from './browser.ts';
import { diagramThemes, renderSettings, type DiagramTheme } from './settings.ts';
import { dropInvalidAttributes, dropRulesForAbsentLooks, dropUnusedDefinitions, dropUnusedRules, ownIds, themedSvg, ThemeMismatchError } from './svg.ts';

export interface DiagramRequest {
  key: string;
  source: string;
}

/** `svg`: one SVG for both themes (see svg.ts). */
export type RenderOutcome = { ok: true; svg: string } | { ok: false; error: string };

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
 * Renders diagrams in every theme and merges the renderings into one SVG each. Requests from all pages built at about the same time are
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

/** The id of a diagram's SVG; every other id in it starts with or contains it. */
export function diagramId(key: string): string {
  return `diagram-${key}`;
}

/** One theme's rendering, cleaned: its own ids, valid attributes, no rules or definitions it cannot use. */
function clean(svg: string, renderPrefix: string, key: string): string {
  return dropUnusedDefinitions(dropUnusedRules(dropRulesForAbsentLooks(dropInvalidAttributes(ownIds(svg, renderPrefix, diagramId(key))))));
}

async function renderBatch(requests: DiagramRequest[]): Promise<RenderOutcome[]> {
  const rendered = requests.map(() => ({} as Partial<Record<DiagramTheme, string>>));
  const errors: (string | undefined)[] = requests.map(() => undefined);
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
      if (result.status === 'rejected') {
        const reason = String((result.reason as Error)?.message ?? result.reason);
        errors[index] ??= `Mermaid could not parse this diagram: ${reason.split('\n').slice(0, 4).join(' ')}`;
      }
      else rendered[index]![theme] = clean(result.value.svg, `${batchPrefix}-${index}`, requests[index]!.key);
    });
  }
  return requests.map((request, index): RenderOutcome => {
    if (errors[index]) return { ok: false, error: errors[index] };
    const { light, dark } = rendered[index] as Record<DiagramTheme, string>;
    try {
      return { ok: true, svg: dropUnusedDefinitions(themedSvg(light, dark, diagramId(request.key))) };
    } catch (error) {
      if (!(error instanceof ThemeMismatchError)) throw error;
      return { ok: false, error: `its light and dark renderings differ in more than colours (${error.message}), so one SVG cannot show both themes. Try another diagram type or layout, or report it with the diagram source.` };
    }
  });
}
