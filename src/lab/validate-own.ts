import { existsSync, readdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { Lab } from './schema/lab.ts';
import { displayPath } from './paths.ts';

/**
 * Engine-side static checks of a loaded lab, beyond its schema: scripts a command calls by a
 * relative path exist and are executable, and (when shellcheck is installed) every shell script of
 * a sandbox lab passes shellcheck. Kind-specific checks live in src/lab/validate/.
 * Returns one message per problem, `file: field: …`.
 */
export function validateOwn(lab: Lab, opts: { shellcheck?: boolean } = {}): string[] {
  const problems: string[] = [];
  const commands: { at: string; run: string }[] = [
    ...lab.setup.map((c, i) => ({ at: `setup.${i}.run`, run: c.run })),
    ...lab.teardown.map((c, i) => ({ at: `teardown.${i}.run`, run: c.run })),
    ...lab.steps.map((s, i) => ({ at: `steps.${i}.run`, run: s.run })),
    ...lab.steps.flatMap((s, i) => (s.type === 'exercise' ? [{ at: `steps.${i}.solution.run`, run: s.solution.run }] : [])),
  ];
  for (const { at, run } of commands) {
    for (const match of run.matchAll(/(?:^|[\s;&|(])(\.\/[\w./-]+)/g)) {
      const script = path.join(lab.dir, match[1]!);
      if (!existsSync(script)) problems.push(`${lab.file}: ${at}: runs ${match[1]}, which does not exist in ${displayPath(lab.dir)}`);
      else if ((statSync(script).mode & 0o111) === 0) problems.push(`${lab.file}: ${at}: ${match[1]} is not executable: chmod +x ${displayPath(script)}`);
    }
  }
  if (lab.backend === 'sandbox' && opts.shellcheck !== false) problems.push(...shellcheck([...shellScripts(lab.dir), ...shellScripts(path.join(path.dirname(lab.dir), '_lib'))], lab.dir));
  return problems;
}

function shellScripts(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.sh'))
    .map((name) => path.join(dir, name));
}

let haveShellcheck: boolean | undefined;

function shellcheck(files: string[], cwd: string): string[] {
  if (files.length === 0) return [];
  haveShellcheck ??= spawnSync('shellcheck', ['--version']).status === 0;
  if (!haveShellcheck) return [];
  const result = spawnSync('shellcheck', ['-x', '-f', 'gcc', ...files], { cwd, encoding: 'utf8' });
  if (result.status === 0) return [];
  return result.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const m = /^(.*?):(\d+):(\d+): (.*)$/.exec(line);
      return m ? `${displayPath(path.resolve(cwd, m[1]!))}:${m[2]}: shellcheck: ${m[4]}` : line;
    });
}
