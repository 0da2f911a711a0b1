import { performance } from 'node:perf_hooks';
import type { StepStatus } from '../events.ts';
import type { Step } from '../schema/step.ts';
import type { CommandResult } from '../process/types.ts';
import { evaluate, type CheckVerdict } from '../check.ts';
import { exec } from './commands.ts';
import { DEFAULT_STEP_TIMEOUT, failureReason, sleep, statusOf, type Ctx } from './context.ts';
import { daemonDiagnostics } from './daemons.ts';

export interface StepResult {
  id: string;
  type: Step['type'];
  status: StepStatus;
  /** Checks and exercises: whether the check passed. Demos: undefined. */
  passed?: boolean;
  exitCode: number | null;
  durationMs: number;
  /** Attempts made (1 without retry). */
  attempts: number;
  /** Time spent in the command itself (all attempts, spawn to exit); the rest is engine and retry waits. */
  commandMs: number;
  reason?: string;
  hint?: string;
  stdout: string;
  stderr: string;
}

/** What a series of attempts of one step came to. */
export interface Attempts {
  result: CommandResult;
  verdict?: CheckVerdict;
  attempts: number;
  commandMs: number;
  durationMs: number;
  /** For `until: 'deadline'`: the attempt that passed, which a proof of failure must not see. */
  passedOn?: number;
}

/** Between attempts when a check declares no retry but a proof still tries twice. */
const PROOF_INTERVAL_MS = 200;

/**
 * Runs a step's command, attempt after attempt:
 * - `pass`: until the check passes or its retry window is over (one attempt without retry);
 * - `deadline`: across the whole retry window and at least twice, stopping only if it passes.
 *   This is how `prove` shows a check fails: a check that fixes itself within its window, or
 *   that fails once and then passes, is caught.
 */
export async function attempt(ctx: Ctx, step: Step, until: 'pass' | 'deadline', key = step.id): Promise<Attempts> {
  const started = performance.now();
  const target = step.target ?? 'host';
  const timeoutMs = step.timeout ?? DEFAULT_STEP_TIMEOUT;
  const retry = step.type !== 'demo' ? step.retry : undefined;
  const deadline = started + (retry?.timeout ?? 0);
  const interval = retry?.interval ?? PROOF_INTERVAL_MS;
  const minimum = until === 'deadline' ? 2 : 1;
  let attempts = 0;
  let commandMs = 0;
  let result: CommandResult;
  let verdict: CheckVerdict | undefined;
  for (;;) {
    attempts++;
    result = await exec(ctx, key, step.title, target, step.run, timeoutMs, attempts);
    commandMs += result.durationMs;
    if (step.type === 'demo') break;
    verdict = evaluate(step.expect, result);
    if (verdict.passed && until === 'deadline') return { result, verdict, attempts, commandMs, durationMs: Math.round(performance.now() - started), passedOn: attempts };
    if (verdict.passed || result.canceled || ctx.signal?.aborted) break;
    const more = attempts < minimum || performance.now() + interval <= deadline;
    if (!more || (until === 'pass' && !retry)) break;
    await sleep(interval, ctx.signal);
    if (ctx.signal?.aborted) break;
  }
  return { result, verdict, attempts, commandMs, durationMs: Math.round(performance.now() - started) };
}

/** Runs one step as a reader would (a check retries until it passes), emits its end, and explains a failure. */
export async function execStep(ctx: Ctx, step: Step): Promise<StepResult> {
  const run = await attempt(ctx, step, 'pass');
  const { result, verdict } = run;
  const passed = verdict?.passed;
  const status = statusOf(result, passed);
  let reason = verdict?.reason;
  if (step.type === 'demo' && status !== 'done') reason = failureReason(result);
  if (step.type !== 'demo' && step.retry && passed === false && run.attempts > 1) reason = `${reason} (after ${run.attempts} attempts in ${run.durationMs} ms)`;
  const hint = passed === false && step.type !== 'demo' ? step.hint : undefined;
  if (status !== 'done' && status !== 'passed' && status !== 'canceled') {
    // A failing step in a lab with daemons: what the daemons say is often the answer.
    const diagnostics = daemonDiagnostics(ctx.lab, ctx.backend, step.target ?? 'host');
    if (diagnostics) ctx.emit({ type: 'output', lab: ctx.lab.id, step: step.id, stream: 'stderr', data: diagnostics });
  }
  ctx.emit({ type: 'end', lab: ctx.lab.id, step: step.id, status, exitCode: result.exitCode, durationMs: run.durationMs, reason, hint });
  return {
    id: step.id,
    type: step.type,
    status,
    passed,
    exitCode: result.exitCode,
    durationMs: run.durationMs,
    attempts: run.attempts,
    commandMs: run.commandMs,
    reason,
    hint,
    stdout: result.stdout,
    stderr: result.stderr,
  };
}
