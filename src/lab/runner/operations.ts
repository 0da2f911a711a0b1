import { performance } from 'node:perf_hooks';
import type { Lab, LabDefinition } from '../schema/lab.ts';
import type { Step } from '../schema/step.ts';
import type { SpawnSpec } from '../backends/types.ts';
import { backendFor } from '../backends/index.ts';
import { LabError } from '../errors.ts';
import { runLabCommand, succeeded } from './commands.ts';
import { context, DEFAULT_SETUP_TIMEOUT, DEFAULT_STEP_TIMEOUT, failureReason, locked, note, phase, statusOf, type Ctx, type RunOptions } from './context.ts';
import { daemonStatuses, startDaemons, stopDaemons, type DaemonStatus } from './daemons.ts';
import { doctor, missingPrerequisites } from './doctor.ts';
import { execStep, type StepResult } from './steps.ts';

export interface LabSummary {
  lab: string;
  /** true only if every check (and exercise) passed and nothing failed to run. */
  ok: boolean;
  passed: number;
  failed: number;
  durationMs: number;
  steps: StepResult[];
  /** Set when the operation stopped early (setup failed, canceled). */
  error?: string;
  /** What is still running after a failure, and how to remove it. */
  left?: string;
}

export interface DownResult {
  ok: boolean;
  /** Teardown commands that failed (the backend still removed the rest). */
  errors: string[];
  /** What could not be removed, if anything. */
  left?: string;
  /** What was removed (or deliberately not touched), one line each. */
  removed: string[];
}

export interface UpOptions {
  /** Rebuild a lab that is already up (the reader's changes in it are lost). */
  force?: boolean;
}

export function summarize(ctx: Ctx, started: number, steps: StepResult[], error?: string, left?: string): LabSummary {
  const checks = steps.filter((s) => s.passed !== undefined);
  const passed = checks.filter((s) => s.passed).length;
  const failed = checks.length - passed;
  const durationMs = Math.round(performance.now() - started);
  ctx.emit({ type: 'summary', lab: ctx.lab.id, passed, failed, durationMs });
  return { lab: ctx.lab.id, ok: failed === 0 && !error, passed, failed, durationMs, steps, error, left };
}

export function findStep(lab: LabDefinition & { file: string }, stepId: string): Step {
  const step = lab.steps.find((s) => s.id === stepId);
  if (!step) throw new LabError(`${lab.file}: no step "${stepId}"; steps: ${lab.steps.map((s) => s.id).join(', ')}`);
  return step;
}

async function requireUp(ctx: Ctx): Promise<void> {
  const status = await ctx.backend.status(ctx.lab);
  if (!status.up) throw new LabError(`lab ${ctx.lab.id} is not up${status.stale ? ` (${status.detail})` : ''}: run npm run lab -- up ${ctx.lab.id}`);
}

/** Prerequisites, backend up, setup commands, daemons. On failure the lab is torn down again. */
export async function upInner(ctx: Ctx, opts: UpOptions = {}): Promise<{ error?: string; left?: string }> {
  phase(ctx, 'prerequisites');
  const checks = await doctor(ctx.lab);
  const missing = checks.filter((c) => !c.ok);
  if (missing.length > 0) throw missingPrerequisites(ctx.lab, missing);
  const current = await ctx.backend.status(ctx.lab);
  if (current.up && !opts.force) {
    throw new LabError(
      `lab ${ctx.lab.id} is already up (${current.detail}); it is kept as it is, with whatever you changed in it.\n` +
        `use it: npm run lab -- verify ${ctx.lab.id} | step ${ctx.lab.id} <step> | shell ${ctx.lab.id}\n` +
        `rebuild it from scratch (your changes are lost): add --force, or run npm run lab -- down ${ctx.lab.id} first`,
    );
  }
  phase(ctx, 'setup');
  await ctx.backend.up(ctx.lab, { signal: ctx.signal, log: (line) => note(ctx, 'setup', line) });
  let why: string | undefined;
  for (const [index, cmd] of ctx.lab.setup.entries()) {
    const result = await runLabCommand(ctx, `setup.${index}`, cmd, DEFAULT_SETUP_TIMEOUT);
    if (!succeeded(result)) {
      why = result.canceled ? 'canceled' : result.timedOut ? `setup.${index} timed out` : `setup.${index} failed (exit status ${result.exitCode})`;
      break;
    }
  }
  if (!why) {
    try {
      await startDaemons(ctx);
    } catch (error) {
      if (!(error instanceof LabError)) throw error;
      why = error.message;
    }
  }
  if (!why) return {};
  // Leave the machine clean: teardown and backend removal, with a signal of their own.
  const down = await downInner(ctx);
  return { error: `${why}\nthe lab was torn down${down.left ? ' except for what is listed below' : ''}`, left: down.left };
}

export async function downInner(ctx: Ctx): Promise<DownResult> {
  phase(ctx, 'teardown');
  const errors: string[] = [];
  const removed: string[] = [];
  // Teardown must finish even when the operation was canceled: no signal here.
  const quiet = { ...ctx, signal: undefined };
  removed.push(...(await stopDaemons(ctx.lab, ctx.backend)));
  const status = await ctx.backend.status(ctx.lab);
  if (status.up) {
    for (const [index, cmd] of ctx.lab.teardown.entries()) {
      const result = await runLabCommand(quiet, `teardown.${index}`, cmd, DEFAULT_STEP_TIMEOUT, undefined);
      if (!succeeded(result)) errors.push(`teardown.${index}: ${failureReason(result)}`);
    }
  }
  try {
    removed.push(...(await ctx.backend.down(ctx.lab, {})));
  } catch (error) {
    return { ok: false, errors, left: (error as Error).message, removed };
  }
  const after = await ctx.backend.status(ctx.lab);
  if (after.up) return { ok: false, errors, left: `${after.detail}; remove it with: npm run lab -- down ${ctx.lab.id}`, removed };
  return { ok: errors.length === 0, errors, removed };
}

/** Runs the steps in order: `run` applies each exercise's solution first; `verify` skips demos. */
async function stepsInner(ctx: Ctx, mode: 'run' | 'verify'): Promise<StepResult[]> {
  phase(ctx, 'steps');
  const results: StepResult[] = [];
  for (const step of ctx.lab.steps) {
    if (ctx.signal?.aborted) break;
    if (mode === 'verify' && step.type === 'demo') continue;
    if (mode === 'run' && step.type === 'exercise') {
      phase(ctx, 'solution');
      await runLabCommand(ctx, `${step.id}.solution`, step.solution, DEFAULT_STEP_TIMEOUT);
      phase(ctx, 'steps');
    }
    results.push(await execStep(ctx, step));
  }
  return results;
}

/** Checks prerequisites, creates the lab's environment, runs its setup and starts its daemons. */
export async function up(lab: Lab, opts: RunOptions & UpOptions = {}): Promise<LabSummary> {
  const ctx = await context(lab, opts);
  return locked(lab, 'up', async () => {
    const started = performance.now();
    const result = await upInner(ctx, opts);
    return summarize(ctx, started, [], result.error, result.left);
  });
}

/** Runs one step (the lab must be up). A failed check is a result, not an exception. */
export async function runStep(lab: Lab, stepId: string, opts: RunOptions = {}): Promise<StepResult> {
  const step = findStep(lab, stepId);
  const ctx = await context(lab, opts);
  return locked(lab, `step ${stepId}`, async () => {
    await requireUp(ctx);
    return execStep(ctx, step);
  });
}

/** Applies an exercise's hidden solution (the lab must be up). */
export async function applySolution(lab: Lab, stepId: string, opts: RunOptions = {}): Promise<StepResult> {
  const step = findStep(lab, stepId);
  if (step.type !== 'exercise') throw new LabError(`${lab.file}: step "${stepId}" is a ${step.type}, not an exercise: it has no solution`);
  const ctx = await context(lab, opts);
  return locked(lab, `solution ${stepId}`, async () => {
    await requireUp(ctx);
    phase(ctx, 'solution');
    const result = await runLabCommand(ctx, `${step.id}.solution`, step.solution, DEFAULT_STEP_TIMEOUT);
    return {
      id: `${step.id}.solution`,
      type: step.type,
      status: statusOf(result, undefined),
      exitCode: result.exitCode,
      durationMs: result.durationMs,
      attempts: 1,
      commandMs: result.durationMs,
      stdout: result.stdout,
      stderr: result.stderr,
    };
  });
}

/** Runs every check and exercise check against the lab as it is now (the lab must be up). */
export async function verify(lab: Lab, opts: RunOptions = {}): Promise<LabSummary> {
  const ctx = await context(lab, opts);
  return locked(lab, 'verify', async () => {
    const started = performance.now();
    await requireUp(ctx);
    const results = await stepsInner(ctx, 'verify');
    return summarize(ctx, started, results, ctx.signal?.aborted ? 'canceled' : undefined);
  });
}

/**
 * Up, every step in order (an exercise gets its hidden solution applied first, so later steps see
 * the finished lab), then down unless `keep`. `ok` only if every check passed.
 */
export async function run(lab: Lab, opts: RunOptions & UpOptions & { keep?: boolean } = {}): Promise<LabSummary> {
  const ctx = await context(lab, opts);
  return locked(lab, 'run', async () => {
    const started = performance.now();
    let results: StepResult[];
    try {
      const upResult = await upInner(ctx, opts);
      if (upResult.error) return summarize(ctx, started, [], upResult.error, upResult.left);
      results = await stepsInner(ctx, 'run');
    } catch (error) {
      if (!opts.keep && !(error instanceof LabError && /is already up/.test(error.message))) await downInner(ctx).catch(() => {});
      throw error;
    }
    const errors: string[] = ctx.signal?.aborted ? ['canceled'] : [];
    let left: string | undefined;
    if (!opts.keep || ctx.signal?.aborted) {
      const down = await downInner(ctx);
      errors.push(...down.errors);
      left = down.left;
    }
    return summarize(ctx, started, results, errors.length > 0 ? errors.join('; ') : undefined, left);
  });
}

/** Stops the daemons, runs the teardown commands, then removes the lab's environment. Safe when the lab is not up. */
export async function down(lab: Lab, opts: RunOptions = {}): Promise<DownResult> {
  const ctx = await context(lab, opts);
  return locked(lab, 'down', () => downInner(ctx));
}

/** How to start an interactive shell on a target of a lab that is up (the lab server runs it in a pty). */
export async function shellCommand(lab: Lab, target = 'host'): Promise<SpawnSpec> {
  const backend = backendFor(lab);
  const status = await backend.status(lab);
  if (!status.up) throw new LabError(`lab ${lab.id} is not up: run npm run lab -- up ${lab.id}`);
  return backend.shellFor(lab, target);
}

export interface LabStatus {
  up: boolean;
  detail: string;
  stale?: boolean;
  daemons: DaemonStatus[];
}

/** Whether the lab's environment exists now, and its daemons. */
export async function status(lab: Lab): Promise<LabStatus> {
  const backend = backendFor(lab);
  const current = await backend.status(lab);
  return { ...current, daemons: current.up || current.stale ? daemonStatuses(lab) : [] };
}
