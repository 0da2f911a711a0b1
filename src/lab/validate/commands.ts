import type { Lab } from '../schema/lab.ts';

/** A command of a lab, where it is written, as written and as run. */
export interface LabCommandText {
  /** Field path in lab.yaml, e.g. `steps.2.run`. */
  at: string;
  /** As written (templates unresolved); empty if the raw file could not be read at that path. */
  raw: string;
  /** As run (templates resolved). */
  resolved: string;
}

/** Every command of a lab: setup, teardown, daemons and their readiness checks, steps, solutions, breaks and restores. */
export function commandsOf(lab: Lab, raw: unknown): LabCommandText[] {
  const rawAt = (parts: (string | number)[]): string => {
    let value: unknown = raw;
    for (const key of parts) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    return typeof value === 'string' ? value : '';
  };
  const out: LabCommandText[] = [];
  const add = (parts: (string | number)[], resolved: string): void => {
    out.push({ at: parts.join('.'), raw: rawAt(parts), resolved });
  };
  lab.setup.forEach((c, i) => add(['setup', i, 'run'], c.run));
  lab.daemons.forEach((d, i) => {
    add(['daemons', i, 'run'], d.run);
    add(['daemons', i, 'ready', 'run'], d.ready.run);
  });
  lab.teardown.forEach((c, i) => add(['teardown', i, 'run'], c.run));
  lab.walks.forEach((w, i) =>
    w.breaks.forEach((b, j) => {
      add(['walks', i, 'breaks', j, 'run'], b.run);
      if (b.restore !== undefined) add(['walks', i, 'breaks', j, 'restore'], b.restore);
    }),
  );
  lab.steps.forEach((s, i) => {
    add(['steps', i, 'run'], s.run);
    if (s.type === 'demo') return;
    if (s.type === 'exercise') add(['steps', i, 'solution', 'run'], s.solution.run);
    s.breaks.forEach((b, j) => {
      add(['steps', i, 'breaks', j, 'run'], b.run);
      if (b.restore !== undefined) add(['steps', i, 'breaks', j, 'restore'], b.restore);
    });
  });
  return out;
}
