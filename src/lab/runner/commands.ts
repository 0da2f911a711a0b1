import type { LabCommand } from '../schema/command.ts';
import type { SpawnSpec } from '../backends/types.ts';
import type { CommandResult } from '../process/types.ts';
import { runCommand } from '../process/run-command.ts';
import { faultPoint } from '../fault.ts';
import { failureReason, firstLine, statusOf, type Ctx } from './context.ts';

/** Spawns one attempt of a command on a target, streaming its output as events. */
export async function exec(ctx: Ctx, stepKey: string, title: string, target: string, run: string, timeoutMs: number, attempt: number, signal = ctx.signal): Promise<CommandResult> {
  const lab = ctx.lab.id;
  ctx.emit({ type: 'start', lab, step: stepKey, title, command: run, target, attempt });
  let spec: SpawnSpec;
  try {
    spec = ctx.backend.commandFor(ctx.lab, target, run);
  } catch (error) {
    const message = (error as Error).message;
    ctx.emit({ type: 'output', lab, step: stepKey, stream: 'stderr', data: `${message}\n` });
    return { exitCode: null, signal: null, timedOut: false, canceled: false, durationMs: 0, stdout: '', stderr: message, truncated: false, message };
  }
  return runCommand(spec, {
    timeoutMs,
    signal,
    onOutput: (stream, data) => ctx.emit({ type: 'output', lab, step: stepKey, stream, data }),
    onSpawn: () => {
      if (stepKey.startsWith('setup.')) faultPoint('setup-running');
    },
  });
}

/** Runs a lab command (setup, teardown, a solution, a break) and emits its start, output and end. */
export async function runLabCommand(ctx: Ctx, key: string, cmd: LabCommand, defaultTimeout: number, signal = ctx.signal, title = firstLine(cmd.run)): Promise<CommandResult> {
  const target = cmd.target ?? 'host';
  const result = await exec(ctx, key, title, target, cmd.run, cmd.timeout ?? defaultTimeout, 1, signal);
  const status = statusOf(result, undefined);
  ctx.emit({
    type: 'end',
    lab: ctx.lab.id,
    step: key,
    status,
    exitCode: result.exitCode,
    durationMs: result.durationMs,
    reason: status === 'done' ? undefined : failureReason(result),
  });
  return result;
}

export function succeeded(result: CommandResult): boolean {
  return result.exitCode === 0 && !result.canceled && !result.timedOut;
}
