import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';

/** The reader's system, as far as install advice needs it. */
export interface SystemInfo {
  platform: NodeJS.Platform;
  /** Linux: `ID` from /etc/os-release (debian, ubuntu, fedora, rhel, ...). */
  distro?: string;
  /** Linux: `ID_LIKE` words, e.g. ['debian'] on Ubuntu, ['rhel', 'fedora'] on Rocky. */
  like: string[];
  /** Linux: `VERSION_ID`, e.g. "24.04". */
  version?: string;
  /** Running in WSL2 (Linux under Windows). */
  wsl: boolean;
}

function readOsRelease(): Record<string, string> {
  for (const file of ['/etc/os-release', '/usr/lib/os-release']) {
    try {
      const fields: Record<string, string> = {};
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
        if (m) fields[m[1]!] = m[2]!.replace(/^["']|["']$/g, '');
      }
      return fields;
    } catch {
      // try the next one
    }
  }
  return {};
}

let cached: SystemInfo | undefined;

export function systemInfo(): SystemInfo {
  if (cached) return cached;
  if (process.platform !== 'linux') return (cached = { platform: process.platform, like: [], wsl: false });
  const release = readOsRelease();
  let kernel = '';
  try {
    kernel = readFileSync('/proc/version', 'utf8');
  } catch {
    kernel = os.release();
  }
  return (cached = {
    platform: 'linux',
    distro: release.ID,
    like: (release.ID_LIKE ?? '').split(/\s+/).filter(Boolean),
    version: release.VERSION_ID,
    wsl: /microsoft/i.test(kernel) || existsSync('/proc/sys/fs/binfmt_misc/WSLInterop'),
  });
}


/** Reads a /proc/sys value, or undefined when the knob does not exist on this kernel. */
export function sysctl(name: string): string | undefined {
  try {
    return readFileSync(`/proc/sys/${name.replace(/\./g, '/')}`, 'utf8').trim();
  } catch {
    return undefined;
  }
}
