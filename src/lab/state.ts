import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, realpathSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LabError } from './errors.ts';

/**
 * Where the engine keeps per-lab state between CLI invocations (locks, the sandbox holder's
 * record, daemon logs, kubeconfigs): `$K8S_NET_LABS_STATE`, else `$XDG_RUNTIME_DIR/k8s-net-labs`,
 * else `/tmp/k8s-net-labs-<uid>`. Under it, one folder per checkout (keyed by the labs folder's
 * real path), then one per lab: two clones of the guide never share, or tear down, each other's labs.
 *
 * The engine acts on what these files say (which processes to kill, which cluster to delete), so
 * every folder on the way must be the user's own with mode 0700: under a shared /tmp another local
 * user could otherwise plant a state file for root to act on.
 */
export function stateRoot(): string {
  if (process.env.K8S_NET_LABS_STATE) return path.resolve(process.env.K8S_NET_LABS_STATE);
  if (process.env.XDG_RUNTIME_DIR) return path.join(process.env.XDG_RUNTIME_DIR, 'k8s-net-labs');
  return path.join(os.tmpdir(), `k8s-net-labs-${process.getuid?.() ?? 'user'}`);
}

/** Creates `dir` (mode 0700) if needed, then refuses it unless it is a real folder, ours, 0700. */
export function ownPrivateDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const st = lstatSync(dir);
  const uid = process.getuid?.();
  const problem = st.isSymbolicLink()
    ? 'is a symbolic link'
    : !st.isDirectory()
      ? 'is not a folder'
      : uid !== undefined && st.uid !== uid
        ? `belongs to uid ${st.uid}, not to you (uid ${uid})`
        : (st.mode & 0o077) !== 0
          ? `has mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}: others can read or write it`
          : undefined;
  if (problem) {
    throw new LabError(
      `refusing the lab state folder ${dir}: it ${problem}. The engine kills processes and deletes clusters that its state files name, so the folder must be yours alone (mode 0700).\n` +
        `remove it if it is a leftover (rm -rf ${dir}), or point K8S_NET_LABS_STATE at a folder of your own.`,
    );
  }
  return dir;
}

/** `<checkout folder name>-<hash of the labs folder's real path>`, e.g. `main-3fa9c2e1b0`. */
export function checkoutKey(labsDir: string): string {
  let real = path.resolve(labsDir);
  try {
    real = realpathSync(real);
  } catch {
    // a labs folder that does not exist yet keys by its resolved path
  }
  const name = path.basename(path.dirname(real)).replace(/[^a-zA-Z0-9_.-]/g, '_').slice(0, 40) || 'labs';
  return `${name}-${createHash('sha256').update(real).digest('hex').slice(0, 10)}`;
}

/** The state folder of this checkout's labs (created, checked). */
export function checkoutStateDir(labsDir: string): string {
  const root = ownPrivateDir(stateRoot());
  const dir = ownPrivateDir(path.join(root, checkoutKey(labsDir)));
  const marker = path.join(dir, 'labs-dir');
  if (!existsSync(marker)) writeFileSync(marker, `${path.resolve(labsDir)}\n`, { mode: 0o600 });
  return dir;
}

/** `<stateRoot>/<checkout>/<labId>`, created and checked (mode 0700) on demand. */
export function labStateDir(lab: { id: string; dir: string }): string {
  return ownPrivateDir(path.join(checkoutStateDir(path.dirname(lab.dir)), lab.id));
}

/** Lab ids that have a state folder in this checkout (a lab may be up, or have left state). */
export function labsWithState(labsDir: string): string[] {
  const dir = path.join(stateRoot(), checkoutKey(labsDir));
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

/** Reads a JSON state file; undefined when missing or unreadable. */
export function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}
