import type { SpawnSpec } from '../backends/types.ts';

export type { SpawnSpec };

export interface RunCommandOptions {
  /** Kill the group after this long (SIGTERM, then SIGKILL after `graceMs`). */
  timeoutMs?: number;
  /** Time between SIGTERM and SIGKILL; default 2000. */
  graceMs?: number;
  /** Aborting cancels the command (same kill sequence as a timeout). */
  signal?: AbortSignal;
  /** Each chunk of output, in order per stream, as it arrives. */
  onOutput?: (stream: 'stdout' | 'stderr', data: string) => void;
  /** Characters of each stream kept for matching; default 1 MiB. Everything is still streamed. */
  maxBuffer?: number;
  /** Called once with the child's pid (it leads its own process group) right after it started. */
  onSpawn?: (pid: number) => void;
}

export interface CommandResult {
  /** null when the command was killed by a signal. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  canceled: boolean;
  durationMs: number;
  /** The last `maxBuffer` characters of each stream. */
  stdout: string;
  stderr: string;
  /** true if output was longer than `maxBuffer` and only its tail was kept. */
  truncated: boolean;
  /** One line for humans when the command did not simply exit: timeout, cancel, spawn error. */
  message?: string;
}
