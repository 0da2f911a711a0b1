/** Which lab backends can run on this machine, checked quickly at server start. */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

export interface BackendAvailability {
  usable: boolean;
  /** One line: what was found, or what is missing. */
  detail: string;
}

export function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, command);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

export function sandboxAvailability(): BackendAvailability {
  if (process.platform !== 'linux') return { usable: false, detail: 'needs Linux (network namespaces)' };
  if (!onPath('unshare')) return { usable: false, detail: 'unshare not found (util-linux)' };
  const probe = spawnSync('unshare', ['--user', '--map-root-user', '--net', '--mount', 'true'], { timeout: 5000 });
  if (probe.status === 0) return { usable: true, detail: 'Linux, rootless namespaces work' };
  if (process.getuid?.() === 0) {
    const asRoot = spawnSync('unshare', ['--net', '--mount', 'true'], { timeout: 5000 });
    if (asRoot.status === 0) return { usable: true, detail: 'Linux, namespaces as root' };
  }
  return { usable: false, detail: `unshare failed: ${probe.stderr.toString().trim().split('\n')[0] || `exit ${probe.status}`}` };
}

export function kindAvailability(): BackendAvailability {
  const engine = onPath('docker') ? 'docker' : onPath('podman') ? 'podman' : undefined;
  const kind = onPath('kind');
  if (engine && kind) return { usable: true, detail: `${engine} and kind found` };
  const missing = [engine ? undefined : 'docker or podman', kind ? undefined : 'kind'].filter(Boolean);
  return { usable: false, detail: `${missing.join(' and ')} not found` };
}
