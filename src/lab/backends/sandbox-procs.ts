import { readFileSync, readdirSync, readlinkSync, statSync } from 'node:fs';

/** A namespace id of a process, e.g. `net:[4026532281]`, or undefined if it is gone or hidden. */
export function nsId(pid: number | string, kind: 'net' | 'mnt' | 'user'): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/${kind}`);
  } catch {
    return undefined;
  }
}

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}

/** Start time of a process (clock ticks since boot): guards against a reused pid. */
export function startTime(pid: number): string | undefined {
  const stat = readProc(pid, 'stat');
  if (!stat) return undefined;
  // Fields from 3 on; the command name (field 2) may hold spaces, so count from the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // A zombie is dead, only not yet reaped by its new parent: not a running process.
  if (fields[0] === 'Z' || fields[0] === 'X') return undefined;
  return fields[19];
}

/** The short command name of a process (`comm`). */
export function commandName(pid: number): string {
  return readProc(pid, 'comm')?.trim() ?? '?';
}

/** Whether a process's initial environment holds `NAME=value` exactly. */
export function environHas(pid: number, entry: string): boolean {
  const environ = readProc(pid, 'environ');
  return environ !== undefined && environ.split('\0').includes(entry);
}

/** The namespaces of this machine's init and of this process: never a lab's. */
export function hostNamespaces(): Record<'net' | 'mnt' | 'user', Set<string>> {
  const ids = { net: new Set<string>(), mnt: new Set<string>(), user: new Set<string>() };
  for (const pid of [1, process.pid]) {
    for (const kind of ['net', 'mnt', 'user'] as const) {
      const id = nsId(pid, kind);
      if (id) ids[kind].add(id);
    }
  }
  return ids;
}

/** Network namespaces the lab made (`ip netns add`), seen through a lab process's root: name -> id. */
export function labNetns(pid: number): Map<string, string> {
  const found = new Map<string, string>();
  const dir = `/proc/${pid}/root/run/netns`;
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return found;
  }
  for (const name of names) {
    try {
      found.set(name, `net:[${statSync(`${dir}/${name}`).ino}]`);
    } catch {
      // not a namespace mount
    }
  }
  return found;
}

/** Every process id on the machine but this one. */
export function allPids(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => pid !== process.pid);
}
