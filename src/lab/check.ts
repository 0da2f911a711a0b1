import type { Expect } from './schema/step.ts';
import type { CommandResult } from './process/types.ts';

export interface CheckVerdict {
  passed: boolean;
  /** One line saying why it failed, e.g. `stdout did not match /1 received/`. */
  reason?: string;
}

const compiled = new Map<string, RegExp>();
function pattern(source: string): RegExp {
  let re = compiled.get(source);
  if (!re) {
    re = new RegExp(source, 'm');
    compiled.set(source, re);
  }
  return re;
}

/** The last non-empty line of some text, shortened, to quote in a reason. */
function lastLine(text: string): string {
  const line = text.trimEnd().split('\n').at(-1)?.trim() ?? '';
  return line.length > 100 ? `${line.slice(0, 100)}…` : line;
}

/** Decides whether a command's result meets a check's expectations. */
export function evaluate(expect: Expect, result: CommandResult): CheckVerdict {
  if (result.timedOut) return { passed: false, reason: result.message ?? 'timed out' };
  if (result.canceled) return { passed: false, reason: 'canceled' };
  if (result.exitCode !== expect.exit) {
    const detail = result.exitCode === null ? (result.message ?? 'killed') : `exit status ${result.exitCode}`;
    const said = lastLine(result.stderr) || lastLine(result.stdout);
    return { passed: false, reason: `expected exit status ${expect.exit}, got ${detail}${said ? `: ${said}` : ''}` };
  }
  for (const source of expect.stdout) {
    if (!pattern(source).test(result.stdout)) return { passed: false, reason: `stdout did not match /${source}/` };
  }
  for (const source of expect.stdoutNot) {
    const match = pattern(source).exec(result.stdout);
    if (match) return { passed: false, reason: `stdout matched /${source}/ ("${lastLine(match[0])}") but must not` };
  }
  return { passed: true };
}
