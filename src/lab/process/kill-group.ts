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

/** true while any process of the group exists. */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
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
