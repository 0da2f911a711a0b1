import { z } from 'zod';
import { durationSchema } from './duration.ts';
import { commandSchema, runSchema, targetSchema } from './command.ts';

/** A regular expression, written as a string (JavaScript syntax, no slashes). */
const patternSchema = z.string().superRefine((source, ctx) => {
  try {
    new RegExp(source, 'm');
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `expected a valid regular expression, received ${JSON.stringify(source)} (${(error as Error).message})` });
  }
});

/** What a check expects of its command. */
export const expectSchema = z.strictObject({
  /** Expected exit status; default 0. */
  exit: z.number().int().min(0).max(255).default(0),
  /** Regular expressions that must all match stdout (multiline mode). @example ["1 received"] */
  stdout: z.array(patternSchema).default([]),
  /** Regular expressions none of which may match stdout. @example ["100% packet loss"] */
  stdoutNot: z.array(patternSchema).default([]),
});

/** Retry a check until it passes or `timeout` has passed; for things that converge. */
export const retrySchema = z.strictObject({
  /** Give up after this long. @example "30s" */
  timeout: durationSchema,
  /** Wait this long between attempts; default 1s. @example "1s" */
  interval: durationSchema.default(1000),
});

const stepBase = {
  /** Unique in the lab; chapters embed steps by it. Lowercase, digits, dashes. @example "show-routes" */
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected a step id: lowercase letters, digits and dashes'),
  /** One line. @example "Node 1's routes" */
  title: z.string().min(1),
  /** Where the command runs; default `host`. */
  target: targetSchema.optional(),
  /** The command. @example "ip route" */
  run: runSchema,
  /** Markdown: what to look for in the output. */
  explain: z.string().optional(),
  /** Typical output, shown where no recording exists. */
  sample: z.string().optional(),
  /** Per attempt; default 30s. @example "10s" */
  timeout: durationSchema.optional(),
};

const checkFields = {
  /** What the command must produce; default: exit status 0. */
  expect: expectSchema.default({ exit: 0, stdout: [], stdoutNot: [] }),
  /** Retry until this timeout; default: no retry. */
  retry: retrySchema.optional(),
  /** Shown when the check fails. Markdown. */
  hint: z.string().optional(),
};

/** Runs and shows its output; never fails the lab. */
export const demoStepSchema = z.strictObject({
  ...stepBase,
  type: z.literal('demo'),
});

/** The command's exit status and output decide pass or fail. */
export const checkStepSchema = z.strictObject({
  ...stepBase,
  type: z.literal('check'),
  ...checkFields,
});

/** The reader changes something, then the check verifies it; `solution` is hidden. */
export const exerciseStepSchema = z.strictObject({
  ...stepBase,
  type: z.literal('exercise'),
  /** Markdown: what the reader has to do. */
  task: z.string().min(1),
  ...checkFields,
  /** Hidden; `lab prove` applies it after seeing the check fail. */
  solution: commandSchema,
});

export const stepSchema = z.discriminatedUnion('type', [demoStepSchema, checkStepSchema, exerciseStepSchema]);

export type Step = z.infer<typeof stepSchema>;
export type DemoStep = z.infer<typeof demoStepSchema>;
export type CheckStep = z.infer<typeof checkStepSchema>;
export type ExerciseStep = z.infer<typeof exerciseStepSchema>;
export type Expect = z.infer<typeof expectSchema>;
