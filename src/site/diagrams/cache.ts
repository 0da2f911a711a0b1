import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DiagramTheme } from './settings.ts';
import { diagramThemes } from './settings.ts';

export type RenderedDiagram = Record<DiagramTheme, string>;

/**
 * Rendered diagrams, committed to the repository next to the chapters (`content/_diagrams/`),
 * so a contributor who changed only prose builds the site without a browser.
 * One SVG file per diagram and theme: `<key>.<theme>.svg`.
 */
export class DiagramCache {
  readonly dir: string;
  constructor(dir: string) {
    this.dir = dir;
  }

  fileFor(key: string, theme: DiagramTheme): string {
    return join(this.dir, `${key}.${theme}.svg`);
  }

  /** The cached diagram in every theme, or undefined if any theme is missing. */
  async get(key: string): Promise<RenderedDiagram | undefined> {
    try {
      const entries = await Promise.all(
        diagramThemes.map(async (theme) => [theme, await readFile(this.fileFor(key, theme), 'utf8')] as const),
      );
      return Object.fromEntries(entries) as RenderedDiagram;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async set(key: string, diagram: RenderedDiagram): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await Promise.all(diagramThemes.map((theme) => writeFile(this.fileFor(key, theme), diagram[theme])));
  }
}
