import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * What the kind backend remembers about a cluster it created. Its presence is the mark that the
 * cluster is ours: a cluster of the lab's name without this file belongs to someone else and is
 * never reused or deleted.
 */
export interface KindState {
  cluster: string;
  /** The pinned node image the cluster was created with (versions.yaml `kind.node.image`). */
  nodeImage: string;
  /** sha256 of the kind config file at creation time. */
  configSha256: string;
  /** `docker` or `podman`. */
  provider: 'docker' | 'podman';
  /** ISO time of creation. */
  created: string;
  /** Set while `kind create cluster` runs: an interrupted creation leaves this behind for `down`. */
  creating?: boolean;
  /** The pid and start time of that `kind create`, to stop it if it outlived its engine. */
  createPid?: number;
  createStartTime?: string;
}

export const STATE_FILE = 'kind.json';
export const KUBECONFIG_FILE = 'kubeconfig';

export function readKindState(dir: string): KindState | undefined {
  try {
    const data = JSON.parse(readFileSync(path.join(dir, STATE_FILE), 'utf8')) as Partial<KindState>;
    if (typeof data.cluster !== 'string' || typeof data.nodeImage !== 'string') return undefined;
    return data as KindState;
  } catch {
    return undefined;
  }
}

export function writeKindState(dir: string, state: KindState): void {
  writeFileSync(path.join(dir, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

/** Removes what the backend keeps (state and kubeconfig); the engine's own files stay. */
export function clearKindState(dir: string): void {
  rmSync(path.join(dir, STATE_FILE), { force: true });
  rmSync(path.join(dir, KUBECONFIG_FILE), { force: true });
}
