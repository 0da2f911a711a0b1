import { performance } from 'node:perf_hooks';
import type { Lab } from '../schema/lab.ts';
import type { LabWalk } from '../schema/walk.ts';
import { locked, type Ctx } from '../runner/context.ts';
import { LabError } from '../errors.ts';
import { checkWalk } from './expect.ts';
import type { TraceOptions } from './run.ts';
import { TraceSession } from './session.ts';
import type { Topology } from './topology.ts';
import type { Walk } from './types.ts';

/** The probe protocol a walk uses: as declared, else tcp when a port is given, icmp without. */
export function walkProto(walk: Pick<LabWalk, 'proto' | 'to'> | { proto?: undefined; to: string }): 'tcp' | 'udp' | 'icmp' {
  return walk.proto ?? (/^\[.*\]:\d+$|^[\d.]+:\d+$/.test(walk.to) ? 'tcp' : 'icmp');
}

export interface WalkAttempts {
  walk?: Walk;
  topology?: Topology;
  passed: boolean;
  reason?: string;
  attempts: number;
}

/**
 * Runs a lab's walk up to `attempts` times until one shows what `expect` says (a random endpoint
 * pick may need several), inside an operation that holds the lab's lock. The lab is armed once
 * for all attempts (arming and disarming cost more than a walk), and again only if the session
 * died under an attempt.
 */
export async function attemptWalkUnlocked(lab: Lab, walk: LabWalk, opts: Pick<TraceOptions, 'signal' | 'onHop'> & { onRetry?: (attempt: number, reason: string) => void } = {}): Promise<WalkAttempts> {
  let out: WalkAttempts = { passed: false, attempts: 0 };
  let session: TraceSession | undefined;
  try {
    for (let attempt = 1; attempt <= walk.attempts && !out.passed && !opts.signal?.aborted; attempt++) {
      if (attempt > 1) opts.onRetry?.(attempt, out.reason ?? '');
      try {
        if (!session?.alive) {
          await session?.close();
          session = await TraceSession.open(lab, opts.signal);
        }
        const { walk: result } = await session.walk({ from: walk.from, to: walk.to, proto: walkProto(walk), signal: opts.signal, onHop: opts.onHop });
        out = { walk: result, topology: session.topology, attempts: attempt, ...checkWalk(result, walk.expect) };
      } catch (error) {
        if (!(error instanceof LabError)) throw error;
        out = { passed: false, reason: error.message, attempts: attempt };
      }
    }
  } finally {
    await session?.close();
  }
  return out;
}

/** The same, taking the lab's lock (the CLI and the recorder). */
export function attemptWalk(lab: Lab, walk: LabWalk, opts: Parameters<typeof attemptWalkUnlocked>[2] = {}): Promise<WalkAttempts> {
  return locked(lab, `walk ${walk.id}`, () => attemptWalkUnlocked(lab, walk, opts));
}

/**
 * A lab's walk inside prove, as a step: start and end events (`walk.<id>`), the hops as output,
 * and a verdict against its `expect`. `want` says which verdict prove hopes for, to word the end
 * event the way prove words checks.
 */
export async function walkOnce(ctx: Ctx, walk: LabWalk, want: 'pass' | 'fail', when?: string): Promise<WalkAttempts> {
  const key = `walk.${walk.id}`;
  const started = performance.now();
  const say = (data: string) => ctx.emit({ type: 'output', lab: ctx.lab.id, step: key, stream: 'stdout', data });
  ctx.emit({ type: 'start', lab: ctx.lab.id, step: key, title: `walk: ${walk.title}`, command: `trace --from ${walk.from} --to ${walk.to}`, target: walk.from, attempt: 1 });
  const result = await attemptWalkUnlocked(ctx.lab, walk, {
    signal: ctx.signal,
    onHop: (direction, hop) => say(`${direction === 'reply' ? 'reply: ' : ''}${hop.summary}\n`),
    onRetry: (attempt, reason) => say(`(attempt ${attempt} of ${walk.attempts}: ${reason})\n`),
  });
  const durationMs = Math.round(performance.now() - started);
  if (want === 'pass') ctx.emit({ type: 'end', lab: ctx.lab.id, step: key, status: result.passed ? 'passed' : 'failed', exitCode: null, durationMs, reason: result.reason });
  else ctx.emit({ type: 'end', lab: ctx.lab.id, step: key, status: result.passed ? 'failed' : 'done', exitCode: null, durationMs, reason: result.passed ? `still matches when ${when}` : `changes when ${when}, as it should (${result.reason})` });
  return result;
}
