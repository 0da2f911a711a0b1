export { runCommand } from './run-command.ts';
export { bashArgs } from './bash.ts';
export { signalGroup, terminateGroup } from './kill-group.ts';
export { killAllGroups } from './cleanup.ts';
export type { CommandResult, RunCommandOptions, SpawnSpec } from './types.ts';
