import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { contentFiles } from '../content-files.ts';
import { diagramKey } from './key.ts';

export interface DiagramSource {
  file: string;
  line: number;
  key: string;
}

const fence = /^```mermaid[^\n]*\n([\s\S]*?)\n```/gm;

/** Every Mermaid fence in the chapters (top-level fences, as the guide writes them) with its cache key. */
export async function diagramSources(contentDir: string): Promise<DiagramSource[]> {
  const found: DiagramSource[] = [];
  for (const file of contentFiles(contentDir)) {
    const text = await readFile(join(contentDir, file), 'utf8');
    for (const match of text.matchAll(fence)) {
      found.push({ file: join(contentDir, file), line: text.slice(0, match.index).split('\n').length, key: diagramKey(match[1]!) });
    }
  }
  return found;
}
