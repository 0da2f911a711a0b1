/**
 * The lab engine's public API. Front ends (CLI, lab server, build components) import from here only.
 */
export { loadLab, loadAllLabs, listLabIds, parseLab, NEWER_SCHEMA_MESSAGE, type LoadOptions } from './load.ts';
export { loadVersions, lookupVersion, resolveTemplates, type Versions } from './versions.ts';
export {
  up,
  down,
  run,
  runStep,
  applySolution,
  verify,
  prove,
  doctor,
  status,
  shellCommand,
  type RunOptions,
  type StepResult,
  type LabSummary,
  type DownResult,
} from './runner.ts';
export { LabError, LabBusyError, formatIssues, formatIssue } from './errors.ts';
export { labSchema, SUPPORTED_SCHEMA, type Lab, type LabDefinition, type LabInput } from './schema/lab.ts';
export type { Step, DemoStep, CheckStep, ExerciseStep, Expect } from './schema/step.ts';
export type { LabCommand } from './schema/command.ts';
export { parseDuration } from './schema/duration.ts';
export { labJsonSchema, labJsonSchemaText } from './schema/json-schema.ts';
export { backendFor } from './backends/index.ts';
export type { Backend, BackendOpts, BackendStatus, PrerequisiteResult, InstallHints, SpawnSpec } from './backends/types.ts';
export { runCommand, killAllGroups, type CommandResult, type RunCommandOptions } from './process/index.ts';
export { evaluate, type CheckVerdict } from './check.ts';
export { labStateDir, stateRoot } from './state.ts';
export type { LabEvent, LabEventListener, LabPhase, StepStatus } from './events.ts';
