/**
 * Free shells in a lab's environment, each in a pty (@lydell/node-pty). The engine says what to
 * run (`shellCommand(lab, target)`); this file owns the pty, its flow control and its end.
 */
import pty from '@lydell/node-pty';
import type { SpawnSpec } from '../lab/backends/types.ts';
import { killSession } from './kill.ts';

export interface ShellHandlers {
  onData(data: string): void;
  onExit(exitCode: number | null): void;
}

export interface Shell {
  readonly pid: number;
  write(data: string): void;
  resize(cols: number, rows: number): void;
  pause(): void;
  resume(): void;
  /** Ends the shell and everything it started. */
  close(): Promise<void>;
}

export function openShell(spec: SpawnSpec, size: { cols: number; rows: number }, handlers: ShellHandlers): Shell {
  const child = pty.spawn(spec.file, spec.args, {
    name: 'xterm-256color',
    cols: size.cols,
    rows: size.rows,
    cwd: spec.cwd,
    env: { ...spec.env, TERM: 'xterm-256color' },
  });
  let exited = false;
  child.onData((data) => handlers.onData(data));
  child.onExit(({ exitCode }) => {
    exited = true;
    handlers.onExit(exitCode ?? null);
  });
  return {
    pid: child.pid,
    write: (data) => {
      if (!exited) child.write(data);
    },
    resize: (cols, rows) => {
      if (!exited) child.resize(cols, rows);
    },
    pause: () => child.pause(),
    resume: () => child.resume(),
    close: async () => {
      // Members of the session may outlive the shell itself (background jobs): always sweep them.
      await killSession(child.pid, 'SIGHUP', exited ? 0 : 500);
    },
  };
}
