import type { LabEvent, LabEventListener, LabPhase, StepStatus } from '../events.ts';
import type { Lab } from '../schema/lab.ts';
import type { Backend } from '../backends/types.ts';
import type { CommandResult } from '../process/types.ts';
import { backendFor } from '../backends/index.ts';
import { acquireLabLock } from '../lock.ts';

export interface RunOptions {
  onEvent?: LabEventListener;
  signal?: AbortSignal;
}

/** Everything one lab operation carries around. */
export interface Ctx {
  lab: Lab;
  backend: Backend;
  emit: (event: LabEvent) => void;
  signal?: AbortSignal;
}

export const DEFAULT_STEP_TIMEOUT = 30_000;
export const DEFAULT_SETUP_TIMEOUT = 120_000;

export async function context(lab: Lab, opts: RunOptions): Promise<Ctx> {
  const listener = opts.onEvent;
  return {
    lab,
    backend: backendFor(lab),
    emit: listener
      ? (event) => {
          try {
            listener(event);
          } catch {
            // a front end's rendering bug must not break the lab
          }
        }
      : () => {},
    signal: opts.signal,
  };
}

/** Runs `fn` holding the lab's lock (one operation per lab at a time). */
export async function locked<T>(lab: Lab, operation: string, fn: () => Promise<T>): Promise<T> {
  const release = acquireLabLock(lab, operation);
  try {
    return await fn();
  } finally {
    release();
  }
}

export function phase(ctx: Ctx, name: LabPhase): void {
  ctx.emit({ type: 'phase', lab: ctx.lab.id, phase: name });
}

/** Progress a front end shows while the backend works (not command output). */
export function note(ctx: Ctx, step: string, line: string): void {
  ctx.emit({ type: 'output', lab: ctx.lab.id, step, stream: 'stderr', data: `${line}\n` });
}

export function firstLine(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 80)}…` : line;
}

export function statusOf(result: CommandResult, passed: boolean | undefined): StepStatus {
  if (result.canceled) return 'canceled';
  if (result.timedOut) return 'timed-out';
  if (passed === undefined) return result.exitCode === 0 ? 'done' : 'error';
  return passed ? 'passed' : 'failed';
}

/** Why a command did not simply succeed, in one line. */
export function failureReason(result: CommandResult): string {
  return result.message ?? `exit status ${result.exitCode}: ${firstLine(result.stderr) || firstLine(result.stdout)}`;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
