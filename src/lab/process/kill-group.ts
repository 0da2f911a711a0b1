import { readFileSync, readdirSync } from 'node:fs';

/**
 * Signals a whole process group. Commands are spawned detached, so the child leads its own group
 * (pgid = pid) and `kill(-pid)` reaches every descendant that did not start its own session.
 */
export function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/**
 * true while any process of the group is still running. A zombie does not count: it has exited
 * and holds nothing but its pid. An orphaned one (a daemon's helper whose parent exited first, as
 * radvd's privilege-separation child) waits for init to reap it, which on some machines takes
 * more than a second, and `kill(-pgid, 0)` alone would count it alive until then.
 */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return hasRunningMember(pid);
}

/** Whether /proc lists a process of group `pgid` that is not a zombie; true where there is no /proc to read. */
function hasRunningMember(pgid: number): boolean {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return true;
  }
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // After the command name in parentheses (which may itself hold spaces): state, ppid, pgrp.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') return true;
  }
  return false;
}

/**
 * SIGTERM to the group, then SIGKILL after `graceMs` if anything survived. Resolves once the group
 * is gone (or after the SIGKILL, which cannot be refused).
 */
export async function terminateGroup(pid: number, graceMs: number): Promise<void> {
  if (!signalGroup(pid, 'SIGTERM')) return;
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    if (!groupAlive(pid)) return;
  }
  signalGroup(pid, 'SIGKILL');
}
