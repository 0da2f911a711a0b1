/**
 * Is dist/ older than what it is built from? Compares the newest modification time under the
 * sources with dist/index.html (written by every build).
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** What the built site depends on, relative to the repository root. */
export const BUILD_INPUTS = ['content', 'src', 'labs', 'public', 'astro.config.mjs', 'package.json'];
/** Parts of the inputs that never change the built pages. */
const IGNORED = new Set(['node_modules', '.git', 'server', 'dist', '.astro']);

function newestMtime(file: string): number {
  let info;
  try {
    info = statSync(file);
  } catch {
    return 0;
  }
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of readdirSync(file)) {
    if (IGNORED.has(entry) || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(path.join(file, entry)));
  }
  return newest;
}

/** Undefined if dist is up to date; otherwise why a build is needed. */
export function staleReason(root: string, distDir: string, extraInputs: string[] = []): string | undefined {
  let built: number;
  try {
    built = statSync(path.join(distDir, 'index.html')).mtimeMs;
  } catch {
    return 'no build yet';
  }
  for (const input of [...BUILD_INPUTS, ...extraInputs]) {
    if (newestMtime(path.resolve(root, input)) > built) return `${input} changed since the last build`;
  }
  return undefined;
}
