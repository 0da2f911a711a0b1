import { performance } from 'node:perf_hooks';
import { spawnSync } from 'node:child_process';
import type { LabEvent, LabEventListener, LabPhase, StepStatus } from './events.ts';
import type { Lab, LabDefinition } from './schema/lab.ts';
import type { LabCommand } from './schema/command.ts';
import type { Step } from './schema/step.ts';
import type { Backend, PrerequisiteResult, SpawnSpec } from './backends/types.ts';
import { backendFor } from './backends/index.ts';
import { labPath } from './backends/env.ts';
import { runCommand } from './process/run-command.ts';
import type { CommandResult } from './process/types.ts';
import { evaluate } from './check.ts';
import { acquireLabLock } from './lock.ts';
import { LabError } from './errors.ts';

export interface RunOptions {
  onEvent?: LabEventListener;
  signal?: AbortSignal;
}

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
}

const DEFAULT_STEP_TIMEOUT = 30_000;
const DEFAULT_SETUP_TIMEOUT = 120_000;

/** Everything one lab operation carries around. */
interface Ctx {
  lab: Lab;
  backend: Backend;
  emit: (event: LabEvent) => void;
  signal?: AbortSignal;
}

async function context(lab: Lab, opts: RunOptions): Promise<Ctx> {
  const listener = opts.onEvent;
  return {
    lab,
    backend: await backendFor(lab),
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
async function locked<T>(lab: Lab, operation: string, fn: () => Promise<T>): Promise<T> {
  const release = acquireLabLock(lab.id, operation);
  try {
    return await fn();
  } finally {
    release();
  }
}

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 80)}…` : line;
}

function statusOf(result: CommandResult, passed: boolean | undefined): StepStatus {
  if (result.canceled) return 'canceled';
  if (result.timedOut) return 'timed-out';
  if (passed === undefined) return result.exitCode === 0 ? 'done' : 'error';
  return passed ? 'passed' : 'failed';
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
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

/** Spawns one attempt of a command on a target, streaming its output as events. */
async function exec(ctx: Ctx, stepKey: string, title: string, target: string, run: string, timeoutMs: number, attempt: number, signal = ctx.signal): Promise<CommandResult> {
  const lab = ctx.lab.id;
  ctx.emit({ type: 'start', lab, step: stepKey, title, command: run, target, attempt });
  let spec: SpawnSpec;
  try {
    spec = ctx.backend.commandFor(ctx.lab, target, run);
  } catch (error) {
    const message = (error as Error).message;
    ctx.emit({ type: 'output', lab, step: stepKey, stream: 'stderr', data: `${message}\n` });
    return { exitCode: null, signal: null, timedOut: false, canceled: false, durationMs: 0, stdout: '', stderr: message, truncated: false, message };
  }
  return runCommand(spec, {
    timeoutMs,
    signal,
    onOutput: (stream, data) => ctx.emit({ type: 'output', lab, step: stepKey, stream, data }),
  });
}

/** Runs a lab command (setup, teardown, solution); emits start/output/end. */
async function runLabCommand(ctx: Ctx, key: string, cmd: LabCommand, defaultTimeout: number, signal = ctx.signal): Promise<CommandResult> {
  const target = cmd.target ?? 'host';
  const result = await exec(ctx, key, firstLine(cmd.run), target, cmd.run, cmd.timeout ?? defaultTimeout, 1, signal);
  const status = statusOf(result, undefined);
  ctx.emit({
    type: 'end',
    lab: ctx.lab.id,
    step: key,
    status,
    exitCode: result.exitCode,
    durationMs: result.durationMs,
    reason: status === 'done' ? undefined : (result.message ?? `exit status ${result.exitCode}: ${firstLine(result.stderr) || firstLine(result.stdout)}`),
  });
  return result;
}

/**
 * Runs one step. A check retries until it passes or its retry timeout is over. `once` forces a
 * single attempt (prove uses it to see a check fail without waiting for the retry timeout).
 */
async function execStep(ctx: Ctx, step: Step, once = false, beforeSolution = false): Promise<StepResult> {
  const started = performance.now();
  const target = step.target ?? 'host';
  const timeoutMs = step.timeout ?? DEFAULT_STEP_TIMEOUT;
  const retry = step.type !== 'demo' && !once ? step.retry : undefined;
  const deadline = retry ? started + retry.timeout : started;
  let attempt = 0;
  let commandMs = 0;
  let result: CommandResult;
  let verdict: { passed: boolean; reason?: string } | undefined;
  for (;;) {
    attempt++;
    result = await exec(ctx, step.id, step.title, target, step.run, timeoutMs, attempt);
    commandMs += result.durationMs;
    if (step.type === 'demo') break;
    verdict = evaluate(step.expect, result);
    if (verdict.passed || result.canceled || !retry || performance.now() + retry.interval > deadline) break;
    await sleep(retry.interval, ctx.signal);
    if (ctx.signal?.aborted) break;
  }
  const passed = verdict?.passed;
  const status = statusOf(result, passed);
  const durationMs = Math.round(performance.now() - started);
  let reason = verdict?.reason;
  if (step.type === 'demo' && status !== 'done') reason = result.message ?? `exit status ${result.exitCode}: ${firstLine(result.stderr)}`;
  if (retry && passed === false && attempt > 1) reason = `${reason} (after ${attempt} attempts in ${durationMs} ms)`;
  const hint = passed === false && step.type !== 'demo' ? step.hint : undefined;
  if (beforeSolution) {
    // prove: an exercise's check seen before its solution. Failing is what it should do.
    const shown = passed === false ? { status: 'done' as const, reason: `fails before its solution, as it should (${reason})` } : { status: 'failed' as const, reason: 'passes before its solution: the check cannot tell whether the reader did the exercise' };
    ctx.emit({ type: 'end', lab: ctx.lab.id, step: step.id, exitCode: result.exitCode, durationMs, ...shown });
  } else ctx.emit({ type: 'end', lab: ctx.lab.id, step: step.id, status, exitCode: result.exitCode, durationMs, reason, hint });
  return {
    id: step.id,
    type: step.type,
    status,
    passed,
    exitCode: result.exitCode,
    durationMs,
    attempts: attempt,
    commandMs,
    reason,
    hint,
    stdout: result.stdout,
    stderr: result.stderr,
  };
}

function phase(ctx: Ctx, name: LabPhase): void {
  ctx.emit({ type: 'phase', lab: ctx.lab.id, phase: name });
}

function summarize(ctx: Ctx, started: number, steps: StepResult[], error?: string, left?: string): LabSummary {
  const checks = steps.filter((s) => s.passed !== undefined);
  const passed = checks.filter((s) => s.passed).length;
  const failed = checks.length - passed;
  const durationMs = Math.round(performance.now() - started);
  ctx.emit({ type: 'summary', lab: ctx.lab.id, passed, failed, durationMs });
  return { lab: ctx.lab.id, ok: failed === 0 && !error, passed, failed, durationMs, steps, error, left };
}

function findStep(lab: LabDefinition & { file: string }, stepId: string): Step {
  const step = lab.steps.find((s) => s.id === stepId);
  if (!step) throw new LabError(`${lab.file}: no step "${stepId}"; steps: ${lab.steps.map((s) => s.id).join(', ')}`);
  return step;
}

async function requireUp(ctx: Ctx): Promise<void> {
  const status = await ctx.backend.status(ctx.lab);
  if (!status.up) throw new LabError(`lab ${ctx.lab.id} is not up${status.stale ? ` (${status.detail})` : ''}: run npm run lab -- up ${ctx.lab.id}`);
}

// ---------------------------------------------------------------------------------------------
// Prerequisites

function which(command: string): string | undefined {
  const result = spawnSync('bash', ['-c', 'command -v -- "$1"', 'which', command], {
    env: { ...process.env, PATH: labPath() } as Record<string, string>,
    encoding: 'utf8',
  });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/** The backend's prerequisites, then the lab's own (executables on PATH). */
export async function doctor(lab: Lab): Promise<PrerequisiteResult[]> {
  const backend = await backendFor(lab);
  const results = await backend.preflight(lab);
  // The backend already checks its own tools (with a minimum version): don't list them twice.
  const covered = new Set(results.map((r) => r.name.split(/\s/)[0]));
  for (const pre of lab.prerequisites.filter((p) => !covered.has(p.command))) {
    const found = which(pre.command);
    results.push({ name: pre.command, ok: Boolean(found), why: pre.why, detail: found ?? 'not found on PATH', install: pre.install });
  }
  return results;
}

function describeMissing(lab: Lab, missing: PrerequisiteResult[]): string {
  const lines = missing.map((m) => {
    const install = m.install ? Object.entries(m.install).map(([os, how]) => `${os}: ${how}`).join('; ') : '';
    return `  - ${m.name}: ${m.detail} (needed because it ${m.why})${install ? `\n    install: ${install}` : ''}`;
  });
  return `lab ${lab.id} cannot start; missing prerequisites:\n${lines.join('\n')}\ncheck again with: npm run lab -- doctor ${lab.id}`;
}

// ---------------------------------------------------------------------------------------------
// Operations (each without the lock, composed by the exported functions below)

/** Prerequisites, backend up, setup commands. On failure the lab is torn down again. */
async function upInner(ctx: Ctx): Promise<{ error?: string; left?: string }> {
  phase(ctx, 'prerequisites');
  const checks = await doctor(ctx.lab);
  const missing = checks.filter((c) => !c.ok);
  if (missing.length > 0) throw new LabError(describeMissing(ctx.lab, missing));
  phase(ctx, 'setup');
  await ctx.backend.up(ctx.lab, { signal: ctx.signal, log: (line) => ctx.emit({ type: 'output', lab: ctx.lab.id, step: 'setup', stream: 'stderr', data: `${line}\n` }) });
  for (const [index, cmd] of ctx.lab.setup.entries()) {
    const result = await runLabCommand(ctx, `setup.${index}`, cmd, DEFAULT_SETUP_TIMEOUT);
    if (result.exitCode !== 0 || result.canceled || result.timedOut) {
      const why = result.canceled ? 'canceled' : result.timedOut ? `setup.${index} timed out` : `setup.${index} failed (exit status ${result.exitCode})`;
      // Leave the machine clean: teardown and backend removal, with a signal of their own.
      const down = await downInner(ctx);
      return { error: `${why}; the lab was torn down${down.left ? ' except for what is listed below' : ''}`, left: down.left };
    }
  }
  return {};
}

async function downInner(ctx: Ctx): Promise<DownResult> {
  phase(ctx, 'teardown');
  const errors: string[] = [];
  const status = await ctx.backend.status(ctx.lab);
  if (status.up) {
    // Teardown must finish even when the operation was canceled: no signal here.
    const quiet = { ...ctx, signal: undefined };
    for (const [index, cmd] of ctx.lab.teardown.entries()) {
      const result = await runLabCommand(quiet, `teardown.${index}`, cmd, DEFAULT_STEP_TIMEOUT, undefined);
      if (result.exitCode !== 0) errors.push(`teardown.${index}: ${result.message ?? `exit status ${result.exitCode}`}`);
    }
  }
  try {
    await ctx.backend.down(ctx.lab, {});
  } catch (error) {
    return { ok: false, errors, left: (error as Error).message };
  }
  const after = await ctx.backend.status(ctx.lab);
  if (after.up) return { ok: false, errors, left: `${after.detail}; remove it with: npm run lab -- down ${ctx.lab.id}` };
  return { ok: errors.length === 0, errors };
}

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

// ---------------------------------------------------------------------------------------------
// Public operations

/** Checks prerequisites, creates the lab's environment and runs its setup. */
export async function up(lab: Lab, opts: RunOptions = {}): Promise<LabSummary> {
  const ctx = await context(lab, opts);
  return locked(lab, 'up', async () => {
    const started = performance.now();
    const result = await upInner(ctx);
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
export async function run(lab: Lab, opts: RunOptions & { keep?: boolean } = {}): Promise<LabSummary> {
  const ctx = await context(lab, opts);
  return locked(lab, 'run', async () => {
    const started = performance.now();
    let results: StepResult[];
    try {
      const upResult = await upInner(ctx);
      if (upResult.error) return summarize(ctx, started, [], upResult.error, upResult.left);
      results = await stepsInner(ctx, 'run');
    } catch (error) {
      if (!opts.keep) await downInner(ctx).catch(() => {});
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

/** Runs the teardown commands, then removes the lab's environment. Safe when the lab is not up. */
export async function down(lab: Lab, opts: RunOptions = {}): Promise<DownResult> {
  const ctx = await context(lab, opts);
  return locked(lab, 'down', () => downInner(ctx));
}

/**
 * Proves the lab honest: up, then every step in order; a check must pass; for an exercise its
 * check must FAIL first (one attempt), then after the hidden solution it must PASS. Then down.
 */
export async function prove(lab: Lab, opts: RunOptions = {}): Promise<LabSummary> {
  const ctx = await context(lab, opts);
  return locked(lab, 'prove', async () => {
    const started = performance.now();
    const results: StepResult[] = [];
    let error: string | undefined;
    try {
      const upResult = await upInner(ctx);
      if (upResult.error) return summarize(ctx, started, [], upResult.error, upResult.left);
      phase(ctx, 'steps');
      for (const step of lab.steps) {
        if (ctx.signal?.aborted) {
          error = 'canceled';
          break;
        }
        if (step.type !== 'exercise') {
          const result = await execStep(ctx, step);
          if (step.type === 'demo' && result.status !== 'done') error ??= `demo ${step.id} did not run: ${result.reason}`;
          results.push(result);
          continue;
        }
        const before = await execStep(ctx, step, true, true);
        if (before.passed) {
          results.push({ ...before, passed: false, status: 'failed', reason: 'the check passed before its solution was applied: it cannot tell whether the reader did the exercise' });
          continue;
        }
        phase(ctx, 'solution');
        const solution = await runLabCommand(ctx, `${step.id}.solution`, step.solution, DEFAULT_STEP_TIMEOUT);
        phase(ctx, 'steps');
        if (solution.exitCode !== 0) {
          results.push({ ...before, passed: false, status: 'failed', reason: `its solution failed: ${solution.message ?? `exit status ${solution.exitCode}`}` });
          continue;
        }
        const after = await execStep(ctx, step);
        results.push(after.passed ? after : { ...after, reason: `after its solution: ${after.reason}` });
      }
    } finally {
      const down = await downInner(ctx);
      if (!down.ok) error = [error, ...down.errors, down.left].filter(Boolean).join('; ');
    }
    return summarize(ctx, started, results, error);
  });
}

/** How to start an interactive shell on a target of a lab that is up (the lab server runs it in a pty). */
export async function shellCommand(lab: Lab, target = 'host'): Promise<SpawnSpec> {
  const backend = await backendFor(lab);
  const status = await backend.status(lab);
  if (!status.up) throw new LabError(`lab ${lab.id} is not up: run npm run lab -- up ${lab.id}`);
  return backend.shellFor(lab, target);
}

/** Whether the lab's environment exists now. */
export async function status(lab: Lab): Promise<{ up: boolean; detail: string; stale?: boolean }> {
  return (await backendFor(lab)).status(lab);
}
