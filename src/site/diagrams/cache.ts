import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Rendered diagrams, committed to the repository next to the chapters (`content/_diagrams/`),
 * so a contributor who changed only prose builds the site without a browser.
 * One SVG file per diagram, `<key>.svg`, drawn for both themes (see svg.ts).
 */
export class DiagramCache {
  readonly dir: string;
  constructor(dir: string) {
    this.dir = dir;
  }

  fileFor(key: string): string {
    return join(this.dir, `${key}.svg`);
  }

  /** The cached diagram, or undefined if it is not cached. */
  async get(key: string): Promise<string | undefined> {
    try {
      return await readFile(this.fileFor(key), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async set(key: string, svg: string): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await writeFile(this.fileFor(key), svg);
  }
}
