/**
 * The lab engine's public API. Front ends (CLI, recorder, lab server, build components) import from
 * here only.
 */
export { loadLab, loadAllLabs, listLabIds, findLab, type LoadOptions } from './load.ts';
export { loadVersions, lookupVersion, resolveTemplates, type Versions } from './versions.ts';
export { up, down, run, runStep, applySolution, verify, status, shellCommand, type LabSummary, type DownResult, type UpOptions } from './runner/operations.ts';
export { prove } from './runner/prove.ts';
export { doctor } from './runner/doctor.ts';
export { daemonLogFile, daemonStatuses, logTail, type DaemonStatus } from './runner/daemons.ts';
export type { RunOptions } from './runner/context.ts';
export type { StepResult } from './runner/steps.ts';
export { LabError, LabBusyError } from './errors.ts';
export { labSchema, SUPPORTED_SCHEMA, type Lab, type LabDefinition, type LabInput } from './schema/lab.ts';
export type { Step, DemoStep, CheckStep, ExerciseStep, Expect } from './schema/step.ts';
export type { Break } from './schema/break.ts';
export type { Daemon } from './schema/daemon.ts';
export { labJsonSchema, labJsonSchemaText } from './schema/json-schema.ts';
export { backendFor } from './backends/index.ts';
export type { Backend, PrerequisiteResult, InstallHints, SpawnSpec } from './backends/types.ts';
export { runCommand, killAllGroups, type CommandResult } from './process/index.ts';
export { evaluate } from './check.ts';
export { labStateDir, labsWithState } from './state.ts';
export { sandboxSupport } from './host/userns.ts';
export { findExecutable } from './host/which.ts';
export { repoRoot, defaultLabsDir, displayPath } from './paths.ts';
export type { LabEvent, LabEventListener, LabPhase, StepStatus } from './events.ts';
