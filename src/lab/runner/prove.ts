import { performance } from 'node:perf_hooks';
import type { Lab } from '../schema/lab.ts';
import type { Break } from '../schema/break.ts';
import type { CheckStep, ExerciseStep, Step } from '../schema/step.ts';
import { LabError } from '../errors.ts';
import { runLabCommand, succeeded } from './commands.ts';
import { context, DEFAULT_STEP_TIMEOUT, failureReason, locked, note, phase, type Ctx, type RunOptions } from './context.ts';
import { downInner, summarize, upInner, type LabSummary, type UpOptions } from './operations.ts';
import { attempt, execStep, type StepResult } from './steps.ts';
import type { LabWalk } from '../schema/walk.ts';
import { walkOnce } from '../trace/lab-walk.ts';

/**
 * `prove`: shows that every check of a lab can tell a working data plane from a broken one.
 *
 * 1. In order, as `run` does: every check passes on the intact lab; for each of its `breaks`, the
 *    check fails on every attempt across its whole retry window (at least two attempts), and
 *    passes again once the break is restored (its `restore`, or a fresh setup). Every exercise's
 *    check fails across its retry window before its solution and passes after it.
 * 2. From a fresh setup: the checks between two exercises, run in reverse order, pass (a check
 *    must not depend on another step having run: readers run single steps from the page), and
 *    each exercise's check fails there before its solution.
 * A check that passes when it should fail is reported with the attempt that passed.
 */

type Checked = CheckStep | ExerciseStep;

interface Verdict {
  ok: boolean;
  reason?: string;
}

function endAs(ctx: Ctx, step: Step, key: string, verdict: Verdict, durationMs: number, exitCode: number | null): void {
  ctx.emit({ type: 'end', lab: ctx.lab.id, step: key, status: verdict.ok ? 'done' : 'failed', exitCode, durationMs, reason: verdict.reason });
}

/**
 * Why a check that should pass did not, with the end of what it printed: a prove that fails in CI
 * (often only under load) must be diagnosable from its report alone.
 */
function failedBecause(result: StepResult): string {
  const lines = `${result.stdout}\n${result.stderr}`.split('\n').map((l) => l.trimEnd()).filter(Boolean);
  const tail = lines.slice(-6).map((l) => (l.length > 160 ? `${l.slice(0, 157)}...` : l));
  return tail.length > 0 ? `${result.reason} (its output ended: ${tail.join(' | ')})` : `${result.reason} (it printed nothing)`;
}

/** The check must fail on every attempt of its retry window; `what` says what state it is in. */
async function mustFail(ctx: Ctx, step: Checked, what: string): Promise<Verdict> {
  const run = await attempt(ctx, step, 'deadline');
  const verdict: Verdict = run.passedOn
    ? { ok: false, reason: `passes ${what} (attempt ${run.passedOn}): the check cannot tell` }
    : { ok: true, reason: `fails ${what}, as it should (${run.attempts} attempts in ${run.durationMs} ms: ${run.verdict?.reason ?? 'failed'})` };
  endAs(ctx, step, step.id, verdict, run.durationMs, run.result.exitCode);
  return verdict;
}

/** Down, then up afresh, then the solutions of the exercises already proven. */
async function rebuild(ctx: Ctx, solved: ExerciseStep[]): Promise<void> {
  note(ctx, 'setup', 'rebuilding the lab from a fresh setup');
  const down = await downInner(ctx);
  if (!down.ok) throw new LabError(`could not tear the lab down to rebuild it: ${[...down.errors, down.left].filter(Boolean).join('; ')}`);
  const again = await upInner(ctx, { force: true });
  if (again.error) throw new LabError(`could not set the lab up again: ${again.error}`);
  phase(ctx, 'solution');
  for (const exercise of solved) {
    const result = await runLabCommand(ctx, `${exercise.id}.solution`, exercise.solution, DEFAULT_STEP_TIMEOUT);
    if (!succeeded(result)) throw new LabError(`could not replay the solution of ${exercise.id}: ${failureReason(result)}`);
  }
  phase(ctx, 'steps');
}

async function proveBreak(ctx: Ctx, step: Checked, brk: Break, index: number, solved: ExerciseStep[]): Promise<Verdict> {
  const key = `${step.id}.break.${index}`;
  const damage = await runLabCommand(ctx, key, { run: brk.run, target: brk.target, timeout: brk.timeout }, DEFAULT_STEP_TIMEOUT, ctx.signal, `break: ${brk.why}`);
  if (!succeeded(damage)) return { ok: false, reason: `its break "${brk.why}" did not run: ${failureReason(damage)}` };
  const failed = await mustFail(ctx, step, `when ${brk.why}`);
  if (brk.restore !== undefined) {
    const repair = await runLabCommand(ctx, `${key}.restore`, { run: brk.restore, target: brk.target, timeout: brk.timeout }, DEFAULT_STEP_TIMEOUT, ctx.signal, `restore: ${brk.why}`);
    if (!succeeded(repair)) return { ok: false, reason: `the restore of "${brk.why}" failed: ${failureReason(repair)}` };
  } else await rebuild(ctx, solved);
  if (!failed.ok) return failed;
  const again = await execStep(ctx, step);
  if (!again.passed) return { ok: false, reason: `does not pass again after ${brk.restore !== undefined ? 'the restore' : 'a fresh setup'} of "${brk.why}": ${failedBecause(again)}` };
  return { ok: true };
}

/** Step 1 for one check or exercise: intact pass (after the solution), then each break. */
async function proveInOrder(ctx: Ctx, step: Checked, solved: ExerciseStep[]): Promise<StepResult> {
  const started = performance.now();
  const problems: string[] = [];
  if (step.type === 'exercise') {
    const before = await mustFail(ctx, step, 'before its solution');
    if (!before.ok) problems.push(before.reason!);
    phase(ctx, 'solution');
    // Applied even when the check wrongly passed, so the steps after it see the finished lab.
    const solution = await runLabCommand(ctx, `${step.id}.solution`, step.solution, DEFAULT_STEP_TIMEOUT);
    phase(ctx, 'steps');
    if (!succeeded(solution)) problems.push(`its solution failed: ${failureReason(solution)}`);
    solved.push(step);
  }
  const intact = await execStep(ctx, step);
  if (!intact.passed) problems.push(`${step.type === 'exercise' ? 'after its solution' : 'on the intact lab'}: ${failedBecause(intact)}`);
  else {
    for (const [index, brk] of step.breaks.entries()) {
      if (ctx.signal?.aborted) break;
      const verdict = await proveBreak(ctx, step, brk, index, solved);
      if (!verdict.ok) problems.push(verdict.reason!);
    }
  }
  return {
    ...intact,
    passed: problems.length === 0,
    status: problems.length === 0 ? 'passed' : 'failed',
    reason: problems.length > 0 ? problems.join('; ') : undefined,
    durationMs: Math.round(performance.now() - started),
  };
}

/** Step 2: from a fresh setup, each segment's checks in reverse order, then the exercise ending it. */
async function proveIsolated(ctx: Ctx, lab: Lab, results: Map<string, StepResult>): Promise<void> {
  await rebuild(ctx, []);
  note(ctx, 'steps', 'from a fresh setup: the checks between exercises in reverse order, each exercise before its solution');
  let segment: CheckStep[] = [];
  const flush = async (): Promise<void> => {
    for (const step of [...segment].reverse()) {
      const again = await execStep(ctx, step);
      if (!again.passed) fail(step, `fails on a fresh setup when the steps before it have not run (it depends on another step's side effects): ${failedBecause(again)}`);
    }
    segment = [];
  };
  const fail = (step: Step, reason: string): void => {
    const result = results.get(step.id);
    if (!result) return;
    result.passed = false;
    result.status = 'failed';
    result.reason = [result.reason, reason].filter(Boolean).join('; ');
  };
  for (const step of lab.steps) {
    if (ctx.signal?.aborted) return;
    if (step.type === 'check') segment.push(step);
    if (step.type !== 'exercise') continue;
    await flush();
    const before = await mustFail(ctx, step, 'on a fresh setup before its solution');
    if (!before.ok) fail(step, before.reason!);
    phase(ctx, 'solution');
    const solution = await runLabCommand(ctx, `${step.id}.solution`, step.solution, DEFAULT_STEP_TIMEOUT);
    phase(ctx, 'steps');
    if (!succeeded(solution)) fail(step, `its solution failed on a fresh setup: ${failureReason(solution)}`);
  }
  await flush();
}

/**
 * A walk is proved like a check: on the finished lab it shows what `expect` says; with each of
 * its breaks applied it no longer does; restored, it does again.
 */
async function proveWalk(ctx: Ctx, walk: LabWalk, solved: ExerciseStep[]): Promise<StepResult> {
  const started = performance.now();
  const problems: string[] = [];
  const intact = await walkOnce(ctx, walk, 'pass');
  if (!intact.passed) problems.push(`on the finished lab: ${intact.reason}`);
  else {
    for (const [index, brk] of walk.breaks.entries()) {
      const key = `walk.${walk.id}.break.${index}`;
      const damage = await runLabCommand(ctx, key, { run: brk.run, target: brk.target, timeout: brk.timeout }, DEFAULT_STEP_TIMEOUT, ctx.signal, `break: ${brk.why}`);
      if (!succeeded(damage)) {
        problems.push(`its break "${brk.why}" did not run: ${failureReason(damage)}`);
        continue;
      }
      const broken = await walkOnce(ctx, walk, 'fail', brk.why);
      if (broken.passed) problems.push(`the walk still shows what it expects when ${brk.why}: it cannot tell`);
      if (brk.restore !== undefined) {
        const repair = await runLabCommand(ctx, `${key}.restore`, { run: brk.restore, target: brk.target, timeout: brk.timeout }, DEFAULT_STEP_TIMEOUT, ctx.signal, `restore: ${brk.why}`);
        if (!succeeded(repair)) problems.push(`the restore of "${brk.why}" failed: ${failureReason(repair)}`);
      } else await rebuild(ctx, solved);
      const again = await walkOnce(ctx, walk, 'pass');
      if (!again.passed) problems.push(`not again after the restore of "${brk.why}": ${again.reason}`);
    }
  }
  const durationMs = Math.round(performance.now() - started);
  return { id: `walk:${walk.id}`, type: 'check', status: problems.length === 0 ? 'passed' : 'failed', passed: problems.length === 0, exitCode: null, durationMs, attempts: 1, commandMs: durationMs, reason: problems.join('; ') || undefined, stdout: '', stderr: '' };
}

/** Proves the lab honest (see above), then tears it down. */
export async function prove(lab: Lab, opts: RunOptions & UpOptions = {}): Promise<LabSummary> {
  const ctx = await context(lab, opts);
  return locked(lab, 'prove', async () => {
    const started = performance.now();
    const results = new Map<string, StepResult>();
    const errors: string[] = [];
    try {
      const upResult = await upInner(ctx, opts);
      if (upResult.error) return summarize(ctx, started, [], upResult.error, upResult.left);
      phase(ctx, 'steps');
      const solved: ExerciseStep[] = [];
      for (const step of lab.steps) {
        if (ctx.signal?.aborted) break;
        if (step.type === 'demo') {
          const result = await execStep(ctx, step);
          if (result.status !== 'done') errors.push(`demo ${step.id} did not run: ${result.reason}`);
          results.set(step.id, result);
          continue;
        }
        results.set(step.id, await proveInOrder(ctx, step, solved));
      }
      for (const walk of lab.walks) {
        if (ctx.signal?.aborted) break;
        results.set(`walk:${walk.id}`, await proveWalk(ctx, walk, solved));
      }
      if (!ctx.signal?.aborted) await proveIsolated(ctx, lab, results);
    } catch (error) {
      if (!(error instanceof LabError)) throw error;
      errors.push(error.message);
    } finally {
      const down = await downInner(ctx);
      if (!down.ok) errors.push(...down.errors, ...(down.left ? [down.left] : []));
    }
    if (ctx.signal?.aborted) errors.unshift('canceled');
    return summarize(ctx, started, [...results.values()], errors.length > 0 ? errors.join('; ') : undefined);
  });
}
