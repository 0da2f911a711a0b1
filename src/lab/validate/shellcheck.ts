import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** One finding, located in the source it came from. */
export interface ShellFinding {
  /** Index of the source in the batch. */
  source: number;
  line: number;
  column: number;
  code: number;
  level: string;
  message: string;
}

/** A script to check: a file of the lab, or a command's text (checked as `set -euo pipefail` + the text). */
export type ShellSource = { file: string } | { text: string };

export class ShellcheckMissing extends Error {
  override name = 'ShellcheckMissing';
}

/** The shellcheck executable: `$SHELLCHECK`, else `shellcheck` on PATH (Debian: /usr/bin/shellcheck). */
function binary(): string {
  return process.env.SHELLCHECK || 'shellcheck';
}

export const SHELLCHECK_INSTALL =
  'install it: Debian/Ubuntu: sudo apt-get install shellcheck; Fedora: sudo dnf install ShellCheck; macOS: brew install shellcheck; see https://github.com/koalaman/shellcheck#installing';

/** Files per shellcheck process: big labs are checked in a few processes, never one per command. */
const BATCH = 400;
/** shellcheck processes at once, across all labs being validated. */
const POOL = Math.max(1, Math.min(4, os.availableParallelism()));

let running = 0;
const waiting: (() => void)[] = [];

async function pooled<T>(job: () => Promise<T>): Promise<T> {
  if (running >= POOL) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await job();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function runShellcheck(files: string[], cwd: string, sourcePath: string): Promise<{ file: string; line: number; column: number; code: number; level: string; message: string }[]> {
  const args = ['-s', 'bash', '-f', 'json1', '-x', '-P', sourcePath, ...files];
  return new Promise((resolve, reject) => {
    execFile(binary(), args, { cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new ShellcheckMissing(`shellcheck not found (${binary()}): ${SHELLCHECK_INSTALL}`));
        return;
      }
      try {
        resolve((JSON.parse(stdout || '{"comments":[]}') as { comments: never[] }).comments);
      } catch {
        reject(new Error(`shellcheck failed: ${(error?.message ?? stdout).trim().split('\n')[0]}`));
      }
    });
  });
}

/**
 * Runs `shellcheck -s bash` on many sources of one lab, in batches of BATCH files and at most POOL
 * processes at a time across all callers (a 5,000-step lab costs a handful of processes, not 5,000).
 * Command texts go through temporary files outside the repository. Rejects with ShellcheckMissing
 * when shellcheck cannot be started.
 */
export async function shellcheckAll(sources: ShellSource[], labDir: string): Promise<ShellFinding[]> {
  if (sources.length === 0) return [];
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'lab-shellcheck-'));
  try {
    const files = sources.map((source, index) => {
      if ('file' in source) return path.resolve(labDir, source.file);
      const file = path.join(tmp, `command-${index}.sh`);
      writeFileSync(file, `set -euo pipefail\n${source.text}\n`);
      return file;
    });
    const index = new Map(files.map((file, i) => [file, i]));
    const batches: string[][] = [];
    for (let i = 0; i < files.length; i += BATCH) batches.push(files.slice(i, i + BATCH));
    const results = await Promise.all(batches.map((batch) => pooled(() => runShellcheck(batch, labDir, labDir))));
    return results.flat().flatMap((c) => {
      const source = index.get(path.resolve(labDir, c.file));
      if (source === undefined) return [];
      // A command's text was checked with one extra line in front of it.
      const line = 'text' in sources[source]! ? c.line - 1 : c.line;
      return [{ source, line, column: c.column, code: c.code, level: c.level, message: c.message }];
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
