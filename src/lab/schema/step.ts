import { z } from 'zod';
import { duration } from './duration.ts';
import { commandSchema, runSchema, targetSchema } from './command.ts';
import { breakSchema } from './break.ts';

/** A regular expression, written as a string (JavaScript syntax, no slashes). */
const patternSchema = z
  .string()
  .superRefine((source, ctx) => {
    try {
      new RegExp(source, 'm');
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `expected a valid regular expression, received ${JSON.stringify(source)} (${(error as Error).message})` });
    }
  })
  .meta({
    description: "A JavaScript regular expression without slashes, matched in multiline mode (`^` and `$` match at each line). Quote it when YAML would read it otherwise (it holds `: ` or ` #`, or starts with `[`, `{`, `*`); single quotes keep backslashes as written.",
    examples: ['1 received', '^10\\.244\\.2\\.0/24 via ', 'State: (ESTABLISHED|TIME_WAIT)'],
  });

/** What a check expects of its command. */
export const expectSchema = z
  .strictObject({
    /** Expected exit status; default 0. */
    exit: z
      .number()
      .int()
      .min(0)
      .max(255)
      .default(0)
      .meta({ description: 'The exit status the command must end with (0 to 255); default 0. Use e.g. 1 to check that something fails, such as a blocked connection.', examples: [0, 1] }),
    /** Regular expressions that must all match stdout (multiline mode). @example ["1 received"] */
    stdout: z
      .array(patternSchema)
      .default([])
      .meta({ description: 'Regular expressions that must all match stdout (multiline mode); default none.', examples: [['1 received'], ['bytes from 10\\.244\\.1\\.3', ', 0% packet loss']] }),
    /** Regular expressions none of which may match stdout. @example ["100% packet loss"] */
    stdoutNot: z
      .array(patternSchema)
      .default([])
      .meta({ description: 'Regular expressions none of which may match stdout (multiline mode); default none.', examples: [['100% packet loss']] }),
  })
  .meta({ description: 'What the command must produce to pass: `exit` status (default 0), `stdout` patterns that must match and `stdoutNot` patterns that must not. Default: exit status 0, nothing else.' });

/** Retry a check until it passes or `timeout` has passed; for things that converge. */
export const retrySchema = z
  .strictObject({
    /** Give up after this long. @example "30s" */
    timeout: duration({
      description: 'Give up after this long, counted from the first attempt; written `500ms`, `10s` or `2m`.',
      examples: ['30s', '2m'],
    }),
    /** Wait this long between attempts; default 1s. @example "1s" */
    interval: duration({
      description: 'Wait this long between attempts; default `1s`.',
      examples: ['1s', '500ms', '5s'],
    }).default(1000),
  })
  .meta({ description: 'Run the check again until it passes or `timeout` has passed; for things that converge (a pod becoming ready, a route being learned). Default: a single attempt.' });

const stepBase = {
  /** Unique in the lab; chapters embed steps by it. Lowercase, digits, dashes. @example "show-routes" */
  id: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected a step id: lowercase letters, digits and dashes')
    .meta({ description: 'Unique in the lab; chapters embed the step by it (`<LabStep lab="<lab id>" step="<step id>" />`) and the CLI runs it with `lab step <lab> <step>`. Lowercase letters, digits and dashes.', examples: ['show-routes', 'same-node'] }),
  /** One line. @example "Node 1's routes" */
  title: z
    .string()
    .min(1)
    .meta({ description: 'One line saying what the step does or shows.', examples: ["Node 1's routes", 'Pod A reaches pod B on the same node'] }),
  /** Where the command runs; default `host`. */
  target: targetSchema.optional(),
  /** The command. @example "ip route" */
  run: runSchema,
  /** Markdown: what to look for in the output. */
  explain: z
    .string()
    .optional()
    .meta({ description: 'Markdown: what to look for in the output; the chapter shows it with the step.', examples: ["One route per peer node's pod CIDR, via that node's address."] }),
  /** Typical output, shown where no recording exists. */
  sample: z
    .string()
    .optional()
    .meta({ description: 'Typical output (use `|` to keep line breaks), shown where no recording of the step exists.', examples: ['10.244.2.0/24 via 192.168.0.12 dev eth0\n'] }),
  /** Per attempt; default 30s. @example "10s" */
  timeout: duration({
    description: 'Time limit per attempt, written `500ms`, `10s` or `2m`; default `30s`. On timeout the command is killed and a check fails.',
    examples: ['10s', '2m'],
  }).optional(),
};

const checkFields = {
  /** What the command must produce; default: exit status 0. */
  expect: expectSchema.default({ exit: 0, stdout: [], stdoutNot: [] }),
  /** Ways to break what the check reads; `prove` shows the check fails on each. */
  breaks: z
    .array(breakSchema)
    .default([])
    .meta({
      description:
        'Ways to break what this check reads, each a command that damages the data plane (a link down, a rule or route removed). `lab prove` applies each one, expects the check to fail on every attempt of its retry window, restores the lab and expects the check to pass again. A check needs at least one; an exercise may add some to its unsolved state.',
    }),
  /** Retry until this timeout; default: no retry. */
  retry: retrySchema.optional(),
  /** Shown when the check fails. Markdown. */
  hint: z
    .string()
    .optional()
    .meta({ description: 'Markdown shown when the check fails: a nudge toward the cause, not the answer.', examples: ["Is the pod's default route pointing at cni0?"] }),
};

/** Runs and shows its output; never fails the lab. */
export const demoStepSchema = z
  .strictObject({
    ...stepBase,
    type: z.literal('demo').meta({ description: '`demo`: runs the command and shows its output; never fails the lab.' }),
  })
  .meta({ description: 'A demo step: runs the command and shows its output; never fails the lab.' });

/** The command's exit status and output decide pass or fail. */
export const checkStepSchema = z
  .strictObject({
    ...stepBase,
    type: z.literal('check').meta({ description: "`check`: the command's exit status and output (`expect`) decide pass or fail." }),
    ...checkFields,
  })
  .superRefine((step, ctx) => {
    if (step.breaks.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['breaks'],
        message:
          'a check needs at least one way to break what it checks (`breaks: [{ why, run, restore }]`), so `lab prove` can show it fails when the data plane is broken; a check that cannot fail proves nothing (labs/README.md, "Honest checks")',
      });
    }
  })
  .meta({ description: "A check step: the command's exit status and output decide pass or fail." });

/** The reader changes something, then the check verifies it; `solution` is hidden. */
export const exerciseStepSchema = z
  .strictObject({
    ...stepBase,
    type: z.literal('exercise').meta({ description: '`exercise`: the reader changes something (`task`), then the check verifies it; `solution` stays hidden.' }),
    /** Markdown: what the reader has to do. */
    task: z
      .string()
      .min(1)
      .meta({ description: 'Markdown: what the reader has to do before the check can pass.', examples: ["Node 1 has no route to 10.244.2.0/24. Add one via node 2's address."] }),
    ...checkFields,
    /** Hidden; `lab prove` applies it after seeing the check fail. */
    solution: commandSchema.meta({
      description: 'The hidden answer, a command like `setup` ones (`run`, `target`, `timeout`). `lab prove` runs the check, expects it to fail, applies this, then expects the check to pass; `lab solve <lab> <step>` applies it on demand.',
    }),
  })
  .meta({ description: 'An exercise step: the reader changes something, then the check verifies it; `solution` is hidden.' });

export const stepSchema = z
  .discriminatedUnion('type', [demoStepSchema, checkStepSchema, exerciseStepSchema])
  .meta({ description: 'One step, by `type`: `demo` (shows output), `check` (output decides pass or fail) or `exercise` (the reader fixes something, then the check verifies it).' });

export type Step = z.infer<typeof stepSchema>;
export type DemoStep = z.infer<typeof demoStepSchema>;
export type CheckStep = z.infer<typeof checkStepSchema>;
export type ExerciseStep = z.infer<typeof exerciseStepSchema>;
export type Expect = z.infer<typeof expectSchema>;
