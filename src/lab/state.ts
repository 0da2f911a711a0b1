import os from 'node:os';
import path from 'node:path';
import { mkdirSync } from 'node:fs';

/**
 * Where the engine keeps per-lab state between CLI invocations (locks, the sandbox holder's pid,
 * kubeconfigs): `$K8S_NET_LABS_STATE`, else `$XDG_RUNTIME_DIR/k8s-net-labs`, else
 * `/tmp/k8s-net-labs-<uid>`.
 */
export function stateRoot(): string {
  if (process.env.K8S_NET_LABS_STATE) return path.resolve(process.env.K8S_NET_LABS_STATE);
  if (process.env.XDG_RUNTIME_DIR) return path.join(process.env.XDG_RUNTIME_DIR, 'k8s-net-labs');
  return path.join(os.tmpdir(), `k8s-net-labs-${process.getuid?.() ?? 'user'}`);
}

/** `<stateRoot>/<labId>`, created (mode 0700) on demand. */
export function labStateDir(labId: string): string {
  const dir = path.join(stateRoot(), labId);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}
