/**
 * Build-time access to lab definitions for the page components. Labs come from `labs/` and, for
 * browser tests only, from LAB_EXTRA_DIR (e.g. tests/fixtures/labs). Errors name the page.
 */
import path from 'node:path';
import { listLabIds, loadLab } from '../../lab/load.ts';
import type { Lab } from '../../lab/schema/lab.ts';
import type { Step } from '../../lab/schema/step.ts';

export type { Lab, Step };

/** Folders labs are read from, in order. */
export function labsDirs(): string[] {
  const dirs = [path.resolve('labs')];
  if (process.env.LAB_EXTRA_DIR) dirs.push(path.resolve(process.env.LAB_EXTRA_DIR));
  return dirs;
}

async function findLab(id: string): Promise<{ lab?: Lab; known: string[] }> {
  const known: string[] = [];
  for (const labsDir of labsDirs()) {
    const ids = await listLabIds({ labsDir }).catch(() => [] as string[]);
    if (ids.includes(id)) return { lab: await loadLab(id, { labsDir }), known };
    known.push(...ids);
  }
  return { known };
}

/** Every lab in the extra folder (the test page lists them). */
export async function extraLabIds(): Promise<string[]> {
  const dir = process.env.LAB_EXTRA_DIR;
  return dir ? listLabIds({ labsDir: path.resolve(dir) }) : [];
}

const READ_MORE = 'See labs/README.md for the lab format and `npm run lab -- list` for every lab.';

/** The lab `id`, or an error naming the page and the component. */
export async function labForPage(id: string | undefined, page: string, component: string): Promise<Lab> {
  if (!id) throw new Error(`${page}: ${component}: the lab id is missing. Write e.g. <Lab id="pod-network-by-hand" />. ${READ_MORE}`);
  let found;
  try {
    found = await findLab(id);
  } catch (error) {
    throw new Error(`${page}: ${component}: lab "${id}" is invalid:\n${(error as Error).message}`);
  }
  if (!found.lab) {
    throw new Error(
      `${page}: ${component}: unknown lab "${id}" (known labs: ${found.known.join(', ') || 'none'}). Fix the id or add labs/${id}/lab.yaml. ${READ_MORE}`,
    );
  }
  return found.lab;
}

export async function stepForPage(labId: string | undefined, stepId: string | undefined, page: string): Promise<{ lab: Lab; step: Step }> {
  const component = `<LabStep lab="${labId ?? ''}" step="${stepId ?? ''}">`;
  const lab = await labForPage(labId, page, component);
  const step = lab.steps.find((s) => s.id === stepId);
  if (!step) {
    throw new Error(
      `${page}: ${component}: lab "${lab.id}" has no step "${stepId ?? ''}" (its steps: ${lab.steps.map((s) => s.id).join(', ')}). Fix the step id or add the step to ${lab.file}. ${READ_MORE}`,
    );
  }
  return { lab, step };
}

/** Anchor id of a step's section, unique on a page. */
export function stepAnchor(lab: string, step: string): string {
  return `lab-${lab}-${step}`;
}

/** What the one command to run the lab from a terminal is. */
export function runCommand(lab: string): string {
  return `npm run lab -- run ${lab}`;
}
