import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { terminateGroup, signalGroup } from './kill-group.ts';
import { trackGroup } from './cleanup.ts';
import { BoundedText, readText } from './output.ts';
import type { CommandResult, RunCommandOptions, SpawnSpec } from './types.ts';

const MiB = 1024 * 1024;

/** How long to wait for output pipes after the command exited (a leftover background child may hold them). */
const PIPE_DRAIN_MS = 200;

/**
 * Runs one command in its own process group and resolves with what happened; never rejects.
 * On timeout or cancel the whole group gets SIGTERM, then SIGKILL after the grace period. When the
 * command itself exits, anything it left running in its group is killed too: a step does not leave
 * processes behind (daemons a lab needs must start their own session, e.g. `setsid -f`).
 */
export function runCommand(spec: SpawnSpec, opts: RunCommandOptions = {}): Promise<CommandResult> {
  const started = performance.now();
  const limit = opts.maxBuffer ?? MiB;
  const graceMs = opts.graceMs ?? 2000;
  const stdout = new BoundedText(limit);
  const stderr = new BoundedText(limit);

  return new Promise<CommandResult>((resolve) => {
    let timedOut = false;
    let canceled = false;
    let spawnError: Error | undefined;

    const finish = (exitCode: number | null, signal: NodeJS.Signals | null): void => {
      const durationMs = Math.round(performance.now() - started);
      let message: string | undefined;
      if (spawnError) message = `could not start ${spec.file}: ${spawnError.message}`;
      else if (timedOut) message = `timed out after ${Math.round(opts.timeoutMs ?? 0)} ms`;
      else if (canceled) message = 'canceled';
      else if (signal) message = `killed by ${signal}`;
      resolve({
        exitCode,
        signal,
        timedOut,
        canceled,
        durationMs,
        stdout: stdout.toString(),
        stderr: stderr.toString(),
        truncated: stdout.truncated || stderr.truncated,
        message,
      });
    };

    if (opts.signal?.aborted) {
      canceled = true;
      finish(null, null);
      return;
    }

    const child = spawn(spec.file, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      // stdin from /dev/null, not a pipe: Node's pipes are sockets, and bash sourced from a socket
      // believes sshd started it and reads /etc/bash.bashrc (which breaks under `set -u`).
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const pid = child.pid;
    const untrack = pid ? trackGroup(pid) : () => {};
    if (pid) opts.onSpawn?.(pid);

    let killing: Promise<void> | undefined;
    const kill = (): void => {
      if (pid && !killing) killing = terminateGroup(pid, graceMs);
    };

    const timer = opts.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          kill();
        }, opts.timeoutMs)
      : undefined;
    const onAbort = (): void => {
      canceled = true;
      kill();
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    const streams = [
      readText(child.stdout, (text) => {
        stdout.push(text);
        opts.onOutput?.('stdout', text);
      }),
      readText(child.stderr, (text) => {
        stderr.push(text);
        opts.onOutput?.('stderr', text);
      }),
    ];

    child.once('error', (error) => {
      spawnError = error;
    });
    child.once('close', () => {});
    child.once('exit', async (code, signal) => {
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      // Leftovers in the group (background jobs) are killed, so they release the pipes.
      if (pid) signalGroup(pid, 'SIGKILL');
      const drained = Promise.all(streams);
      const late = await Promise.race([drained.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), PIPE_DRAIN_MS))]);
      if (late) {
        child.stdout.destroy();
        child.stderr.destroy();
      }
      await killing;
      untrack();
      finish(code, signal);
    });
    if (!pid) {
      // spawn failed synchronously (e.g. ENOENT): 'exit' may never come.
      child.once('error', () => {
        if (timer) clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        finish(null, null);
      });
    }
  });
}
