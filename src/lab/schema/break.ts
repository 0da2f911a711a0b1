import { z } from 'zod';
import { duration } from './duration.ts';
import { runSchema, targetSchema } from './command.ts';

/**
 * One way to break what a check reads. `prove` applies it, expects the check to fail on every
 * attempt of its retry window, then restores the lab (`restore`, or a fresh setup) and expects the
 * check to pass again: the proof that the check can tell a working data plane from a broken one.
 */
export const breakSchema = z
  .strictObject({
    /** What is broken, one phrase. @example "pod B's veth is down" */
    why: z
      .string()
      .min(1)
      .meta({ description: 'What this breaks, one phrase; `lab prove` prints it ("fails when …").', examples: ["pod B's veth is down", 'the DNAT rule for web-a is gone'] }),
    /** The command that breaks it. @example "ip link set veth-pod-b down" */
    run: runSchema,
    /** Where `run` and `restore` run; default `host`. */
    target: targetSchema.optional(),
    /** Undoes `run`; without it prove rebuilds the lab from a fresh setup. @example "ip link set veth-pod-b up" */
    restore: runSchema
      .optional()
      .meta({
        description:
          'A command (on the same target) that undoes `run`. Without it, `lab prove` tears the lab down and sets it up afresh (replaying the solutions of earlier exercises), which is slower but always correct.',
        examples: ['ip link set veth-pod-b up', 'ip route add 10.244.2.0/24 via 192.168.0.12 dev eth0'],
      }),
    /** Time limit for `run` and `restore`; default 30s. */
    timeout: duration({ description: 'Time limit for `run` and for `restore`, written `500ms`, `10s` or `2m`; default `30s`.', examples: ['10s', '1m'] }).optional(),
  })
  .meta({ description: 'One way to break what a check reads: `why` (a phrase), `run` (the damage), optionally `target` and `restore` (the repair).' });

export type Break = z.infer<typeof breakSchema>;
