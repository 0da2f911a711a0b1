import { readdirSync, readFileSync } from 'node:fs';

export interface LiveProcess {
  pid: number;
  pgid: number;
  cmdline: string;
}

/**
 * Every live process on the machine but this one, read from /proc: what tests poll to prove that
 * nothing a lab, a step or a server started was left behind. Zombies count as gone.
 */
export function liveProcesses(): LiveProcess[] {
  const found: LiveProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name, which may itself contain spaces and parentheses.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z') continue;
      found.push({ pid: Number(entry), pgid: Number(fields[2]), cmdline: readFileSync(`/proc/${entry}/cmdline`, 'utf8') });
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** Live processes whose process group is `pgid`. */
export function groupMembers(pgid: number): number[] {
  return liveProcesses().filter((p) => p.pgid === pgid).map((p) => p.pid);
}

/** Live processes whose command line contains `marker` (or starts with it). */
export function processesWith(marker: string, at: 'anywhere' | 'start' = 'anywhere'): number[] {
  return liveProcesses()
    .filter((p) => (at === 'start' ? p.cmdline.startsWith(marker) : p.cmdline.includes(marker)))
    .map((p) => p.pid);
}

/** Live processes whose arguments, joined by spaces, contain `text` (e.g. `dnsmasq --port=53`). */
export function processesWithArgs(text: string): number[] {
  return liveProcesses()
    .filter((p) => p.cmdline.split('\0').join(' ').includes(text))
    .map((p) => p.pid);
}
