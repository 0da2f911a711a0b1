import { z } from 'zod';
import { duration } from './duration.ts';
import { expectSchema } from './step.ts';
import { runSchema, targetSchema } from './command.ts';

/** How the engine knows a daemon is ready to serve. */
export const readinessSchema = z
  .strictObject({
    /** A command that succeeds once the daemon serves. @example "birdc -s /run/bird-node1.ctl show status" */
    run: runSchema,
    /** What it must produce; default exit status 0. */
    expect: expectSchema.optional(),
    /** Give up after this long; default 10s. */
    timeout: duration({ description: 'How long to wait for the daemon to become ready; default `10s`. The lab fails to start after that, showing the daemon\'s log.', examples: ['10s', '30s'] }).default(10_000),
    /** Time between attempts; default 100ms. */
    interval: duration({ description: 'Time between readiness attempts; default `100ms`.', examples: ['100ms', '1s'] }).default(100),
  })
  .meta({ description: 'How the engine knows the daemon is ready: `run` (on the daemon\'s target) retried until it passes `expect` (default: exit status 0) or `timeout` passes.' });

/** A long-running process the lab needs (a BGP daemon, a DNS server, a proxy). */
export const daemonSchema = z
  .strictObject({
    /** Unique in the lab; names its log. @example "bird-node1" */
    name: z
      .string()
      .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected a daemon name: lowercase letters, digits and dashes')
      .meta({ description: 'Unique in the lab: names the daemon in messages, in `lab status` and in its log (`lab logs <lab> <name>`).', examples: ['bird-node1', 'dns'] }),
    /** Where it runs; default `host`. */
    target: targetSchema.optional(),
    /** The daemon in the foreground. @example "bird -f -c bird-node1.conf -s /run/bird-node1.ctl" */
    run: runSchema.meta({
      description:
        'The command that runs the daemon in the foreground (do not let it fork into the background: `bird -f`, `dnsmasq -k`, `haproxy -db`). Its output goes to the daemon\'s log. The engine starts it after `setup`, stops it at `lab down` (SIGTERM to its process group, then SIGKILL) and shows its log when a step fails.',
      examples: ['bird -f -c bird-node1.conf -s /run/bird-node1.ctl -P /run/bird-node1.pid', 'dnsmasq -k -C dnsmasq.conf'],
    }),
    /** When it is ready. */
    ready: readinessSchema,
    /** Whether it must converge with other daemons before the checks can pass. */
    converges: z.boolean().default(false).meta({
      description:
        'Set when the daemon must converge with others before the checks can pass (BGP sessions established, routes exchanged): the lab\'s speed budget in `npm run bench` is then 8 s instead of 3 s. A daemon that serves as soon as it starts (a DNS server, a proxy) does not converge.',
    }),
    /** Why the lab needs it. */
    why: z.string().min(1).optional().meta({ description: 'What the daemon does for the lab, one phrase (shown by `lab status`).', examples: ["node1's BGP speaker, as in calico-node"] }),
  })
  .meta({ description: 'A long-running process the lab needs (sandbox labs only): started after `setup` and waited for, stopped at `down`, its log kept in the lab\'s state folder.' });

export type Daemon = z.infer<typeof daemonSchema>;
