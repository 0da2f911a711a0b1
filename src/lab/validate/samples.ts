import { evaluate } from '../check.ts';
import type { Issue } from '../errors.ts';
import type { Lab } from '../schema/lab.ts';

/**
 * A check's `sample` is what the page shows where no recording exists (every kind lab, since kind
 * cannot run on the project's machines): it must be output the check itself would pass, or the
 * page would show a reader something the lab contradicts. An exercise's sample is its output after
 * the solution, so it is held to the same expectations.
 */
export function sampleIssues(lab: Lab, labFile: string): Issue[] {
  const issues: Issue[] = [];
  lab.steps.forEach((step, index) => {
    if (step.type === 'demo' || step.sample === undefined) return;
    const verdict = evaluate(step.expect, {
      exitCode: step.expect.exit,
      signal: null,
      timedOut: false,
      canceled: false,
      durationMs: 0,
      stdout: step.sample,
      stderr: '',
      truncated: false,
    });
    if (!verdict.passed) {
      issues.push({ file: labFile, path: `steps.${index}.sample`, message: `the sample would fail its own check (${verdict.reason}): show output the check passes on, from a real run` });
    }
  });
  return issues;
}
