import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { renderSettings } from './settings.ts';

const require = createRequire(import.meta.url);

/** Mermaid's own version: a new Mermaid may draw the same source differently, so it is part of the key. */
export function mermaidVersion(): string {
  return (require('mermaid/package.json') as { version: string }).version;
}

/**
 * The cache key of a diagram: its source, the Mermaid version and our render settings.
 * Whitespace at the ends of the source does not matter; everything else does.
 */
export function diagramKey(source: string, version = mermaidVersion()): string {
  return createHash('sha256')
    .update(JSON.stringify({ source: source.trim(), version, settings: renderSettings }))
    .digest('hex')
    .slice(0, 16);
}
