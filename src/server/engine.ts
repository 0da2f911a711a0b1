/**
 * The server's view of the lab engine: a thin adapter over src/lab/index.ts, so the server (and
 * its tests) depend on a handful of calls only. Labs come from `labs/` and, when given, from
 * extra folders (LAB_EXTRA_DIR=tests/fixtures/labs: browser tests use fixture labs).
 */
import { defaultLabsDir, down, findLab, listLabIds, runStep, shellCommand, status, up } from '../lab/index.ts';
import type { DownResult, Lab, LabEventListener, SpawnSpec, StepStatus } from '../lab/index.ts';

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
}

export function createEngine(extraDirs: string[] = []): LabEngine {
  const dirs = [defaultLabsDir, ...extraDirs];
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
    down: (lab, o) => down(lab, o),
    runStep: (lab, stepId, o) => runStep(lab, stepId, o),
    isUp: async (lab) => (await status(lab)).up,
    shellCommand: (lab, target) => shellCommand(lab, target),
  };
}
