/**
 * Writing to stdout when stdout may close under us (`npm run lab -- run x --json | head`): the
 * first EPIPE marks stdout closed, later writes are dropped, and `onClosed` lets the running
 * operation cancel itself so the lab is torn down instead of the process dying mid-step.
 */
let closed = false;
const listeners: (() => void)[] = [];

process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
  if (closed) return;
  closed = true;
  for (const listener of listeners.splice(0)) listener();
});

/** Calls `listener` once if stdout's reader goes away. Returns the unsubscribe function. */
export function onStdoutClosed(listener: () => void): () => void {
  if (closed) {
    listener();
    return () => {};
  }
  listeners.push(listener);
  return () => {
    const index = listeners.indexOf(listener);
    if (index >= 0) listeners.splice(index, 1);
  };
}

/** The part of a stream the renderers need. */
export interface Out {
  write(text: string): void;
  isTTY: boolean;
}

export const stdout: Out = {
  write(text: string): void {
    if (!closed) process.stdout.write(text);
  },
  get isTTY(): boolean {
    return Boolean(process.stdout.isTTY);
  },
};

export function print(line = ''): void {
  stdout.write(`${line}\n`);
}
