import { execFileSync } from 'node:child_process';
import path from 'node:path';

/**
 * The date of the newest commit that touched each file under `dir`, from one `git log` run.
 * Keys are absolute paths. Empty when this is not a git checkout (e.g. a tarball).
 */
export function newestCommitDates(dir: string): Map<string, Date> {
  const dates = new Map<string, Date>();
  let log: string;
  let top: string;
  try {
    top = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    log = execFileSync('git', ['log', '--format=t:%ct', '--name-only', '--', '.'], { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return dates;
  }
  let current = 0;
  for (const line of log.split('\n')) {
    if (line.startsWith('t:')) current = Number(line.slice(2)) * 1000;
    else if (line) {
      const file = path.resolve(top, line);
      // git log lists newest first: the first date seen for a file is its newest.
      if (!dates.has(file)) dates.set(file, new Date(current));
    }
  }
  return dates;
}
