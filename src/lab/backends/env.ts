import path from 'node:path';
import type { Lab } from '../schema/lab.ts';
import { labPath } from '../host/which.ts';

/** The environment every lab command gets: the caller's, plus LAB_ID, LAB_DIR and LAB_LIB. */
export function labEnv(lab: Lab, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  return {
    ...env,
    PATH: labPath(),
    LAB_ID: lab.id,
    LAB_DIR: lab.dir,
    LAB_LIB: path.join(path.dirname(lab.dir), '_lib'),
    ...extra,
  };
}
