import type { Lab } from '../schema/lab.ts';
import type { PrerequisiteResult } from '../backends/types.ts';
import { backendFor } from '../backends/index.ts';
import { checkExecutable } from '../host/tools.ts';
import { moduleStatus } from '../host/modules.ts';
import { LabError } from '../errors.ts';

/** The backend's prerequisites, then the lab's own (executables on PATH, kernel modules). */
export async function doctor(lab: Lab): Promise<PrerequisiteResult[]> {
  const backend = backendFor(lab);
  const results = await backend.preflight(lab);
  // The backend already checks its own tools (with a minimum version): don't list them twice.
  const covered = new Set(results.map((r) => r.name.split(/\s/)[0]));
  for (const pre of lab.prerequisites) {
    if (pre.command !== undefined) {
      if (covered.has(pre.command)) continue;
      results.push(checkExecutable(pre.command, pre.why, pre.install));
    } else if (pre.module !== undefined) {
      const status = moduleStatus(pre.module);
      results.push({ name: `kernel module ${pre.module}`, ok: status.ok, why: pre.why, detail: status.detail, install: pre.install ?? status.install });
    }
  }
  return results;
}

/** The error `up` raises when prerequisites are missing: each one, why, and how to install it. */
export function missingPrerequisites(lab: Lab, missing: PrerequisiteResult[]): LabError {
  const lines = missing.map((m) => {
    const install = m.install ? Object.entries(m.install).map(([os, how]) => `${os}: ${how}`).join('; ') : '';
    return `  - ${m.name}: ${m.detail} (needed because it ${m.why})${install ? `\n    install: ${install}` : ''}`;
  });
  return new LabError(`lab ${lab.id} cannot start; missing prerequisites:\n${lines.join('\n')}\ncheck again with: npm run lab -- doctor ${lab.id}`);
}
