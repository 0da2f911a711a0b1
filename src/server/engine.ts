/**
 * The server's view of the lab engine: a thin adapter over src/lab/index.ts, so the server (and
 * its tests) depend on a handful of calls only. Labs come from `labs/` and, when given, from
 * extra folders (LAB_EXTRA_DIR=tests/fixtures/labs: browser tests use fixture labs).
 */
import { down, listLabIds, loadLab, runStep, shellCommand, status, up } from '../lab/index.ts';
import type { DownResult, Lab, SpawnSpec, StepStatus } from '../lab/index.ts';
import type { LabEventListener } from '../lab/events.ts';
import { defaultLabsDir } from '../lab/paths.ts';

export interface OpOptions {
  onEvent: LabEventListener;
  signal: AbortSignal;
}

export interface LabEngine {
  listIds(): Promise<string[]>;
  /** The lab, or undefined if no such lab exists (a broken lab.yaml throws). */
  load(id: string): Promise<Lab | undefined>;
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
  const dirOf = async (id: string) => {
    for (const labsDir of dirs) {
      const ids = await listLabIds({ labsDir }).catch(() => [] as string[]);
      if (ids.includes(id)) return labsDir;
    }
    return undefined;
  };
  return {
    async listIds() {
      const all = await Promise.all(dirs.map((labsDir) => listLabIds({ labsDir }).catch(() => [] as string[])));
      return [...new Set(all.flat())].sort();
    },
    async load(id) {
      const labsDir = await dirOf(id);
      return labsDir ? loadLab(id, { labsDir }) : undefined;
    },
    up: (lab, o) => up(lab, o),
    down: (lab, o) => down(lab, o),
    runStep: (lab, stepId, o) => runStep(lab, stepId, o),
    isUp: async (lab) => (await status(lab)).up,
    shellCommand: (lab, target) => shellCommand(lab, target),
  };
}
