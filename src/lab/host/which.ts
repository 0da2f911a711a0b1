import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

/** PATH plus the sbin folders where `ip`, `iptables`, `nsenter` live on most distributions. */
export function labPath(): string {
  const parts = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const dir of ['/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/local/bin', '/usr/bin', '/bin']) {
    if (!parts.includes(dir)) parts.push(dir);
  }
  return parts.join(path.delimiter);
}

/**
 * The full path of an executable on the lab PATH (PATH plus the sbin folders), or undefined.
 * The one way the engine, doctor and the lab server look for a tool.
 */
export function findExecutable(name: string, searchPath = labPath()): string | undefined {
  if (name.includes('/')) return isExecutable(name) ? name : undefined;
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    if (isExecutable(file)) return file;
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
