import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LabError } from '../errors.ts';
import type { Lab } from '../schema/lab.ts';
import type { Backend } from './types.ts';
import { sandboxBackend } from './sandbox.ts';

let kind: Backend | undefined;

/**
 * The backend a lab runs on. The kind backend is loaded on first use so that sandbox-only users
 * never load it; it must export `kindBackend` (or a default export) implementing Backend.
 */
export async function backendFor(lab: Lab): Promise<Backend> {
  if (lab.backend === 'sandbox') return sandboxBackend;
  if (!kind) {
    const url = new URL('./kind.ts', import.meta.url);
    if (!existsSync(fileURLToPath(url))) throw new LabError(`the kind backend is not available in this checkout (no src/lab/backends/kind.ts)`);
    const mod = (await import(url.href)) as { kindBackend?: Backend; default?: Backend };
    kind = mod.kindBackend ?? mod.default;
    if (!kind) throw new LabError('src/lab/backends/kind.ts exports no kindBackend');
  }
  return kind;
}
