/**
 * Ending a whole process tree. A pty shell is a session leader, and job-control shells move their
 * jobs into process groups of their own, so a group kill is not enough: every process of the
 * session is found through /proc and signalled too.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Pids whose session id (field 6 of /proc/<pid>/stat) is `sid`. Linux only; empty elsewhere. */
export function sessionMembers(sid: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const members: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name (field 2) may hold spaces and parentheses: parse after its last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[3]) === sid) members.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return members;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/**
 * Sends `sig` to the group and session led by `pid`, then SIGKILL to whatever of it remains after
 * `graceMs`. Resolves when the SIGKILL round has been sent.
 */
export function killSession(pid: number, sig: NodeJS.Signals = 'SIGHUP', graceMs = 1000): Promise<void> {
  signal(-pid, sig);
  for (const member of sessionMembers(pid)) signal(member, sig);
  return new Promise((resolve) => {
    setTimeout(() => {
      signal(-pid, 'SIGKILL');
      for (const member of sessionMembers(pid)) signal(member, 'SIGKILL');
      resolve();
    }, graceMs);
  });
}
