import { z } from 'zod';
import { duration } from './duration.ts';

/** Both backends' meaning of a target, for every field that takes one. */
const TARGET_DESCRIPTION =
  "Where the command runs; default `host`. Sandbox: `host` (the lab's outer namespace) or the name of a " +
  'network namespace the lab created (a node such as `node1`, a pod such as `pod-a`). Kind: `host` ' +
  "(your machine, with the lab's KUBECONFIG) or a node container name such as `<lab id>-worker`.";
const TARGET_EXAMPLES = ['host', 'node1', 'pod-a'];

/** Both backends' meaning of a command, for every field that takes one. */
const RUN_DESCRIPTION =
  'A bash script, run with `bash -euo pipefail -c` in the lab folder with `LAB_ID` and `LAB_DIR` set ' +
  '(kind labs also get `KUBECONFIG` and `KIND_CLUSTER_NAME`). Use `|` for several lines; a failing ' +
  'line fails the command. `{{ path }}` reads a value from labs/versions.yaml. Background processes ' +
  'are killed when the command exits: start daemons with `setsid -f`.';

/**
 * Where a command runs. Sandbox: `host` (the lab's outer namespace, the default) or the name of a
 * network namespace the lab created (a node or a pod). Kind: `host` (your machine, with the lab's
 * KUBECONFIG) or a node container name.
 * @example "node1"
 */
export const targetSchema = z
  .string()
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'expected a target name (letters, digits, `.`, `_`, `-`)')
  .meta({ description: TARGET_DESCRIPTION, examples: TARGET_EXAMPLES });

/** A bash script, run with `bash -euo pipefail -c` in the lab folder. @example "./setup.sh" */
export const runSchema = z
  .string()
  .min(1, 'expected a command')
  .meta({ description: RUN_DESCRIPTION, examples: ['./setup.sh', 'ip route', 'helm install cilium cilium/cilium --version {{ cilium.chart.version }}'] });

/** A setup or teardown command, or an exercise's solution. */
export const commandSchema = z
  .strictObject({
    /** The script to run. @example "./setup.sh" */
    run: runSchema,
    /** Where it runs; default `host`. */
    target: targetSchema.optional(),
    /** Time limit; default 30s (setup: 2m). @example "1m" */
    timeout: duration({
      description: 'Time limit for this command, written `500ms`, `10s` or `2m`; default `30s` (`2m` for setup commands). On timeout its process group gets SIGTERM, then SIGKILL.',
      examples: ['30s', '2m', '5m'],
    }).optional(),
  })
  .meta({ description: 'A command: `run` (the script), optionally `target` (where) and `timeout`.' });

export type LabCommand = z.infer<typeof commandSchema>;
