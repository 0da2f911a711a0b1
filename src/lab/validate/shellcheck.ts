import { execFile } from 'node:child_process';

export interface ShellFinding {
  line: number;
  column: number;
  code: number;
  level: string;
  message: string;
}

export class ShellcheckMissing extends Error {
  override name = 'ShellcheckMissing';
}

/** The shellcheck executable: `$SHELLCHECK`, else `shellcheck` on PATH (Debian: /usr/bin/shellcheck). */
function binary(): string {
  return process.env.SHELLCHECK || 'shellcheck';
}

export const SHELLCHECK_INSTALL =
  'install it: Debian/Ubuntu: sudo apt-get install shellcheck; Fedora: sudo dnf install ShellCheck; macOS: brew install shellcheck; see https://github.com/koalaman/shellcheck#installing';

/**
 * Runs `shellcheck -s bash` on a script file or on text (a lab.yaml command). Resolves with the
 * findings; rejects with ShellcheckMissing when shellcheck cannot be started.
 */
export function shellcheck(source: { file: string } | { text: string }, cwd: string): Promise<ShellFinding[]> {
  const args = ['-s', 'bash', '-f', 'json1', '-x', '-P', 'SCRIPTDIR', 'file' in source ? source.file : '-'];
  return new Promise((resolve, reject) => {
    const child = execFile(binary(), args, { cwd, maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new ShellcheckMissing(`shellcheck not found (${binary()}): ${SHELLCHECK_INSTALL}`));
        return;
      }
      try {
        const parsed = JSON.parse(stdout || '{"comments":[]}') as { comments: ShellFinding[] };
        resolve(parsed.comments.map(({ line, column, code, level, message }) => ({ line, column, code, level, message })));
      } catch {
        reject(new Error(`shellcheck failed: ${(error?.message ?? stdout).trim()}`));
      }
    });
    child.stdin?.on('error', () => {});
    child.stdin?.end('text' in source ? source.text : '');
  });
}
