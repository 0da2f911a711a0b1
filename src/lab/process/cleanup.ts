import { signalGroup } from './kill-group.ts';

/**
 * Process groups still running. If the engine's process exits (normally, by an uncaught error, or
 * killed by a signal front ends turn into an exit), their groups are killed so no step outlives it.
 */
const live = new Set<number>();
let installed = false;

export function killAllGroups(): void {
  for (const pid of live) signalGroup(pid, 'SIGKILL');
  live.clear();
}

export function trackGroup(pid: number): () => void {
  if (!installed) {
    installed = true;
    process.on('exit', killAllGroups);
  }
  live.add(pid);
  return () => live.delete(pid);
}
