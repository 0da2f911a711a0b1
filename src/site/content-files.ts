import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/**
 * The chapter files, as the content loader sees them: `.md`/`.mdx` under the content folder,
 * minus anything in or named with a leading `_` (the diagram cache, partials). Relative, `/`-separated,
 * sorted. The sidebar, the lab cards, the diagram cache and the build tests all list pages this way.
 */
export function contentFiles(contentDir: string): string[] {
  return readdirSync(contentDir, { recursive: true })
    .map((f) => String(f).split(path.sep).join('/'))
    .filter((f) => /\.mdx?$/.test(f) && !f.split('/').some((part) => part.startsWith('_')))
    .sort();
}

/** The page slug of a content file: `cni/index.mdx` -> `cni`, `cni/flannel.mdx` -> `cni/flannel`, `index.mdx` -> ``. */
export function slugOf(file: string): string {
  return file.replace(/\.mdx?$/, '').replace(/(^|\/)index$/, '');
}

/** A page's frontmatter as data (empty when it has none). */
export function frontmatterOf(text: string): Record<string, unknown> {
  return (parse(text.match(/^---\n([\s\S]*?)\n---/)?.[1] ?? '') ?? {}) as Record<string, unknown>;
}

/** True if the content file at `file` says `draft: true`. */
export function isDraft(file: string): boolean {
  return frontmatterOf(readFileSync(file, 'utf8')).draft === true;
}
