import type { Lab } from '../schema/lab.ts';
import type { Backend } from './types.ts';
import { sandboxBackend } from './sandbox.ts';
import { kindBackend } from './kind.ts';

/** The backend a lab runs on. */
export function backendFor(lab: Pick<Lab, 'backend'>): Backend {
  return lab.backend === 'sandbox' ? sandboxBackend : kindBackend;
}
