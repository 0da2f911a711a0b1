export { runCommand } from './run-command.ts';
export { bashArgs } from './bash.ts';
export { signalGroup, groupAlive, terminateGroup } from './kill-group.ts';
export { liveGroups, killAllGroups } from './cleanup.ts';
export type { CommandResult, RunCommandOptions, SpawnSpec } from './types.ts';
