import { openSync, writeSync, closeSync, readFileSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { LabBusyError } from './errors.ts';
import { labStateDir } from './state.ts';

/** Lab state folders this process holds a lock for. */
const held = new Set<string>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One operation per lab at a time, across processes (the CLI and the lab server may both run):
 * a lock file holding the owner's pid and operation. A lock whose owner died is taken over.
 * Returns the release function.
 */
export function acquireLabLock(lab: { id: string; dir: string }, operation: string): () => void {
  const labId = lab.id;
  const file = path.join(labStateDir(lab), 'lock');
  if (held.has(file)) throw busy(labId, readOwner(file));
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, JSON.stringify({ pid: process.pid, operation, since: new Date().toISOString() }));
      closeSync(fd);
      held.add(file);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        held.delete(file);
        try {
          unlinkSync(file);
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readOwner(file);
      if (owner && alive(owner.pid) && owner.pid !== process.pid) throw busy(labId, owner);
      // The owner is gone (or it is a leftover of this very process): stale lock.
      try {
        unlinkSync(file);
      } catch {
        // raced with another taker; the next attempt decides
      }
    }
  }
  throw busy(labId, readOwner(file));
}

interface Owner {
  pid: number;
  operation: string;
  since: string;
}

function readOwner(file: string): Owner | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Owner;
  } catch {
    return undefined;
  }
}

function busy(labId: string, owner: Owner | undefined): LabBusyError {
  const who = owner ? `"${owner.operation}" (pid ${owner.pid}, since ${owner.since})` : 'another operation';
  return new LabBusyError(`lab ${labId} is busy: ${who} is running on it; wait for it to finish or cancel it, then try again`);
}
