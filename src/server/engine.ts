/**
 * The server's view of the lab engine: a thin adapter over src/lab/index.ts, so the server (and
 * its tests) depend on a handful of calls only. Labs come from `labs/` and, when given, from
 * extra folders (LAB_EXTRA_DIR=tests/fixtures/labs: browser tests use fixture labs).
 */
import { defaultLabsDir, down, findLab, listLabIds, runStep, shellCommand, status, up } from '../lab/index.ts';
import type { DownResult, Lab, LabEventListener, SpawnSpec, StepStatus } from '../lab/index.ts';
import { TraceSession } from '../lab/trace/session.ts';
import { checkWalk } from '../lab/trace/expect.ts';
import { walkProto } from '../lab/trace/lab-walk.ts';
import { locked } from '../lab/runner/context.ts';
import type { Hop, Walk } from '../lab/trace/types.ts';

export interface OpOptions {
  onEvent: LabEventListener;
  signal: AbortSignal;
}

export interface LabEngine {
  listIds(): Promise<string[]>;
  /** The lab, or undefined if no such lab exists (a broken lab.yaml throws). */
  load(id: string): Promise<Lab | undefined>;
  /** Starts the lab; a lab that is already up is kept as it is (the reader's changes survive). */
  up(lab: Lab, opts: OpOptions): Promise<unknown>;
  /** Runs the lab's teardown and removes its environment; `ok` false says what is left. */
  down(lab: Lab, opts: OpOptions): Promise<DownResult>;
  /** Runs one step; resolves with its final status. */
  runStep(lab: Lab, stepId: string, opts: OpOptions): Promise<{ status: StepStatus; reason?: string }>;
  /** True if the lab's environment exists now (so a step can run). */
  isUp(lab: Lab): Promise<boolean>;
  shellCommand(lab: Lab, target: string): Promise<SpawnSpec>;
  /** Keeps the lab armed for live walks if it is up (a no-op otherwise, or when already armed). */
  armWalks(lab: Lab): Promise<void>;
  /** Runs one of the lab's walks live (the lab must be up); hops stream through `onHop`. */
  walk(lab: Lab, walkId: string, opts: { signal: AbortSignal; onHop: (direction: 'request' | 'reply', hop: Hop, index: number) => void }): Promise<{ result?: Walk; passed: boolean; reason?: string }>;
  /** Disarms every lab armed for walks (server shutdown). */
  closeWalks(): Promise<void>;
}

export function createEngine(extraDirs: string[] = []): LabEngine {
  const dirs = [defaultLabsDir, ...extraDirs];
  /** Trace sessions kept armed per lab while the page may ask for live walks. */
  const sessions = new Map<string, Promise<TraceSession>>();
  const disarm = async (id: string): Promise<void> => {
    const session = sessions.get(id);
    sessions.delete(id);
    await session?.then((s) => s.close(), () => undefined);
  };
  const armed = async (lab: Lab): Promise<TraceSession> => {
    const existing = await sessions.get(lab.id)?.catch(() => undefined);
    if (existing?.alive) return existing;
    if (existing) await disarm(lab.id);
    const opening = TraceSession.open(lab);
    sessions.set(lab.id, opening);
    opening.catch(() => sessions.delete(lab.id));
    return opening;
  };
  return {
    async listIds() {
      const all = await Promise.all(dirs.map((labsDir) => listLabIds({ labsDir }).catch(() => [] as string[])));
      return [...new Set(all.flat())].sort();
    },
    load: (id) => findLab(id, dirs),
    async up(lab, o) {
      if ((await status(lab)).up) {
        o.onEvent({ type: 'output', lab: lab.id, step: 'setup', stream: 'stderr', data: `lab ${lab.id} is already up: kept as it is\n` });
        return;
      }
      return up(lab, o);
    },
    async down(lab, o) {
      await disarm(lab.id);
      return down(lab, o);
    },
    runStep: (lab, stepId, o) => runStep(lab, stepId, o),
    isUp: async (lab) => (await status(lab)).up,
    shellCommand: (lab, target) => shellCommand(lab, target),
    async armWalks(lab) {
      if (lab.backend !== 'sandbox' || lab.walks.length === 0 || !(await status(lab)).up) return;
      await armed(lab);
    },
    async walk(lab, walkId, o) {
      const walk = lab.walks.find((w) => w.id === walkId);
      if (!walk) return { passed: false, reason: `lab ${lab.id} has no walk "${walkId}"` };
      const session = await armed(lab);
      // The walk takes the lab's lock like any operation, so a step never runs in the middle of it.
      return locked(lab, `walk ${walk.id}`, async () => {
        let last: { result?: Walk; passed: boolean; reason?: string } = { passed: false };
        for (let attempt = 1; attempt <= walk.attempts && !last.passed && !o.signal.aborted; attempt++) {
          const { walk: result } = await session.walk({ from: walk.from, to: walk.to, proto: walkProto(walk), signal: o.signal, onHop: o.onHop });
          last = { result, ...checkWalk(result, walk.expect) };
        }
        return last;
      });
    },
    async closeWalks() {
      await Promise.all([...sessions.keys()].map(disarm));
    },
  };
}
