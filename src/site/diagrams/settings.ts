import type { MermaidConfig } from 'mermaid';

/**
 * How diagrams are drawn. Changing anything here changes every cache key, so all diagrams are
 * rendered again on the next build with a browser.
 */
export const renderSettings = {
  /** Bump to invalidate every cached diagram when the output format changes (2: one SVG for both themes; 3: fixed rough.js seed). */
  revision: 3,
  /**
   * `htmlLabels: false` makes labels SVG <text>: real text a reader can select and search, and no
   * <foreignObject> label clipping when the reader's font is wider than the renderer's.
   */
  common: {
    // Some shapes are drawn with rough.js, whose curves take random control points: with a fixed
    // seed the light and dark renderings draw the same paths, so one SVG can serve both themes.
    handDrawnSeed: 1,
    htmlLabels: false,
    fontFamily: 'ui-sans-serif, system-ui, "DejaVu Sans", sans-serif',
    flowchart: { htmlLabels: false, useMaxWidth: true },
    sequence: { useMaxWidth: true },
  } satisfies MermaidConfig,
  themes: { light: 'default', dark: 'dark' } as const,
};

export type DiagramTheme = keyof typeof renderSettings.themes;
export const diagramThemes = Object.keys(renderSettings.themes) as DiagramTheme[];
