import { z } from 'zod';
import { prerequisiteSchema } from './prerequisite.ts';
import { commandSchema } from './command.ts';
import { stepSchema } from './step.ts';

/** The newest `schema:` this engine understands. */
export const SUPPORTED_SCHEMA = 1;

/** Kind only: the cluster the lab creates. */
export const clusterSchema = z.strictObject({
  /** kind v1alpha4 Cluster config, relative to the lab folder. @example "kind.yaml" */
  config: z.string().min(1),
});

/** A lab definition: `labs/<id>/lab.yaml`. See labs/README.md. */
export const labSchema = z
  .strictObject({
    /** Format version; the engine refuses a newer one with an upgrade hint. @example 1 */
    schema: z.literal(SUPPORTED_SCHEMA),
    /** Must equal the folder name; lowercase, digits, dashes. @example "pod-network-by-hand" */
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected a lab id: lowercase letters, digits and dashes'),
    /** @example "Pod networking by hand" */
    title: z.string().min(1),
    /** Slug of the chapter that embeds it. @example "network-model" */
    chapter: z.string().min(1),
    /** `sandbox` (network namespaces, Linux only) or `kind` (a real cluster). */
    backend: z.enum(['sandbox', 'kind']),
    /** Markdown, one paragraph: what the lab builds. */
    summary: z.string().min(1),
    /** Executables checked by `lab doctor <id>`, in addition to the backend's own. */
    prerequisites: z.array(prerequisiteSchema).default([]),
    /** Kind only. */
    cluster: clusterSchema.optional(),
    /** Commands run by `lab up`, in order. */
    setup: z.array(commandSchema).default([]),
    /** Commands run by `lab down`, before the backend removes the rest. */
    teardown: z.array(commandSchema).default([]),
    /** The lab's steps, in order. */
    steps: z.array(stepSchema).min(1, 'expected at least one step'),
  })
  .superRefine((lab, ctx) => {
    const seen = new Map<string, number>();
    lab.steps.forEach((step, index) => {
      const first = seen.get(step.id);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['steps', index, 'id'], message: `duplicate step id "${step.id}" (first used by steps.${first})` });
      } else seen.set(step.id, index);
    });
    if (lab.backend === 'kind' && !lab.cluster) {
      ctx.addIssue({ code: 'custom', path: ['cluster'], message: 'expected a cluster config for a kind lab, received nothing' });
    }
    if (lab.backend === 'sandbox' && lab.cluster) {
      ctx.addIssue({ code: 'custom', path: ['cluster'], message: 'expected no cluster for a sandbox lab (cluster is for kind labs)' });
    }
  });

/** A lab as written in lab.yaml (defaults not applied). */
export type LabInput = z.input<typeof labSchema>;
/** A validated lab definition (defaults applied, durations in milliseconds). */
export type LabDefinition = z.infer<typeof labSchema>;

/** A loaded lab: its definition plus where it lives. */
export type Lab = LabDefinition & {
  /** Absolute path of the lab folder. */
  dir: string;
  /** Path of lab.yaml relative to the repository root (for messages), e.g. `labs/dns/lab.yaml`. */
  file: string;
};
