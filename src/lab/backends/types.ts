/**
 * What every lab backend provides. The engine (runner) only talks to this interface, so a
 * backend never needs to know about steps, checks or front ends.
 *
 * A backend is stateless between CLI invocations: `up`, `verify` and `down` may run in separate
 * processes, so anything the backend must remember lives under `stateDir(lab)`.
 */
import type { Lab } from '../schema/lab.ts';

/** How to install one prerequisite, per operating system family. */
export interface InstallHints {
  debian?: string;
  fedora?: string;
  macos?: string;
  /** Anything else, e.g. a URL to the tool's install page. */
  other?: string;
}

/** The result of checking one prerequisite. */
export interface PrerequisiteResult {
  /** Short name, e.g. `docker`, `kind >= 0.29`, `user namespaces`. */
  name: string;
  ok: boolean;
  /** Why the lab needs it. */
  why: string;
  /** What was found (a version, a path) or what is wrong, in one line. */
  detail: string;
  /** Shown when `ok` is false. */
  install?: InstallHints;
  /** A problem that does not stop the lab (e.g. falling back to root). */
  warning?: boolean;
}

/** Everything needed to spawn one command; the engine adds process-group handling. */
export interface SpawnSpec {
  file: string;
  args: string[];
  /** Full environment for the child (not merged again by the engine). */
  env: Record<string, string>;
  cwd: string;
}

/** Options every backend operation takes. */
export interface BackendOpts {
  signal?: AbortSignal;
  /** Called with progress lines that are not command output (e.g. "creating cluster"). */
  log?: (line: string) => void;
}

/** What a backend knows about a lab's environment right now. */
export interface BackendStatus {
  /** true if the environment exists (cluster created, holder process alive). */
  up: boolean;
  /** One line for humans, e.g. "holder pid 1234" or "cluster kind-dns (3 nodes)". */
  detail: string;
  /** true if state exists but the environment behind it is gone (cleaned by the next up/down). */
  stale?: boolean;
}

export interface Backend {
  readonly name: 'sandbox' | 'kind';
  /** Check the backend's own prerequisites (not the lab's `prerequisites`, the engine does those). */
  preflight(lab: Lab, opts?: BackendOpts): Promise<PrerequisiteResult[]>;
  /**
   * Create the lab's environment (idempotent: reuse a matching one; clean a stale one).
   * Runs before the lab's `setup` commands.
   */
  up(lab: Lab, opts?: BackendOpts): Promise<void>;
  /**
   * Remove everything the backend created. Runs after the lab's `teardown` commands.
   * Must succeed (and do nothing) when the environment does not exist. Resolves with one line
   * per thing removed (or deliberately not touched), for the reader.
   */
  down(lab: Lab, opts?: BackendOpts): Promise<string[]>;
  status(lab: Lab): Promise<BackendStatus>;
  /** Whether a process belongs to the lab's environment (sandbox: lives in its namespaces). */
  isLabProcess?(lab: Lab, pid: number): boolean;
  /**
   * How to run `cmd` (a bash script) on `target` inside the lab's environment. The engine spawns
   * the returned spec detached in its own process group. `cmd` is run with `bash -euo pipefail -c`.
   * Kind targets: `host` (the reader's machine with KUBECONFIG set), or e.g. a node name.
   */
  commandFor(lab: Lab, target: string, cmd: string): SpawnSpec;
  /** An interactive login shell on `target` (the lab server runs it in a pty). */
  shellFor(lab: Lab, target: string): SpawnSpec;
  /** Per-lab directory where the backend keeps state (created on demand). */
  stateDir(lab: Lab): string;
}
