import { z } from 'zod';
import { durationSchema } from './duration.ts';

/**
 * Where a command runs. Sandbox: `host` (the lab's outer namespace, the default) or the name of a
 * network namespace the lab created (a node or a pod). Kind: `host` (your machine, with the lab's
 * KUBECONFIG) or a node container name.
 * @example "node1"
 */
export const targetSchema = z
  .string()
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'expected a target name (letters, digits, `.`, `_`, `-`)')
  .meta({ description: 'Where the command runs: `host` (default) or a namespace/node name.' });

/** A bash script, run with `bash -euo pipefail -c` in the lab folder. @example "./setup.sh" */
export const runSchema = z
  .string()
  .min(1, 'expected a command')
  .meta({ description: 'A bash script, run with `bash -euo pipefail -c` in the lab folder.' });

/** A setup or teardown command, or an exercise's solution. */
export const commandSchema = z.strictObject({
  /** The script to run. @example "./setup.sh" */
  run: runSchema,
  /** Where it runs; default `host`. */
  target: targetSchema.optional(),
  /** Time limit; default 30s (setup: 2m). @example "1m" */
  timeout: durationSchema.optional(),
});

export type LabCommand = z.infer<typeof commandSchema>;
