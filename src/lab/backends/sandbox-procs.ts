import { readFileSync, readdirSync, readlinkSync, statSync } from 'node:fs';

/** The namespace id of a process, e.g. `net:[4026532281]`, or undefined if it is gone. */
export function nsId(pid: number | string, kind: 'net' | 'mnt' | 'user'): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/${kind}`);
  } catch {
    return undefined;
  }
}

/** Start time of a process (clock ticks since boot): guards against a reused pid. */
export function startTime(pid: number): string | undefined {
  const stat = readFileSyncSafe(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  // Fields from 3 on; the command name (field 2) may hold spaces, so count from the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // A zombie is dead, only not yet reaped by its new parent: not a running holder.
  if (fields[0] === 'Z' || fields[0] === 'X') return undefined;
  return fields[19];
}

function readFileSyncSafe(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Network namespace ids of the netns the lab made (`ip netns add`), seen through the holder's root. */
function labNetnsIds(holder: number): Set<string> {
  const ids = new Set<string>();
  const dir = `/proc/${holder}/root/run/netns`;
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return ids;
  }
  for (const name of names) {
    try {
      ids.add(`net:[${statSync(`${dir}/${name}`).ino}]`);
    } catch {
      // not a namespace mount
    }
  }
  return ids;
}

/**
 * Every process living in the sandbox: in its user namespace (rootless), its mount namespace,
 * its outer network namespace, or one of the network namespaces made inside it. The holder itself
 * is included; the caller is not.
 */
export function sandboxProcesses(holder: number, userns: boolean): number[] {
  const user = userns ? nsId(holder, 'user') : undefined;
  const mnt = nsId(holder, 'mnt');
  const nets = labNetnsIds(holder);
  const outerNet = nsId(holder, 'net');
  if (outerNet) nets.add(outerNet);
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    if ((user && nsId(pid, 'user') === user) || (mnt && nsId(pid, 'mnt') === mnt) || nets.has(nsId(pid, 'net') ?? '')) {
      found.push(pid);
    }
  }
  return found;
}
