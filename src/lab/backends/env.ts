import path from 'node:path';
import type { Lab } from '../schema/lab.ts';

/** PATH plus the sbin folders where `ip`, `iptables`, `nsenter` live on most distributions. */
export function labPath(): string {
  const parts = (process.env.PATH ?? '').split(':').filter(Boolean);
  for (const dir of ['/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/local/bin', '/usr/bin', '/bin']) {
    if (!parts.includes(dir)) parts.push(dir);
  }
  return parts.join(':');
}

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
