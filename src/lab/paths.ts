import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository root (this file is src/lab/paths.ts). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Default labs folder. */
export const defaultLabsDir = path.join(repoRoot, 'labs');

/** A path for messages: relative to the repository root when inside it. */
export function displayPath(file: string): string {
  const rel = path.relative(repoRoot, file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel;
}
