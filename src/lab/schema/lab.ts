import { z } from 'zod';
import { prerequisiteSchema } from './prerequisite.ts';
import { commandSchema } from './command.ts';
import { stepSchema } from './step.ts';
import { daemonSchema } from './daemon.ts';
import { walkSchema } from './walk.ts';

/** The newest `schema:` this engine understands. */
export const SUPPORTED_SCHEMA = 1;

/** Kind only: the cluster the lab creates. */
export const clusterSchema = z.strictObject({
  /** kind v1alpha4 Cluster config, relative to the lab folder. @example "kind.yaml" */
  config: z
    .string()
    .min(1)
    .meta({ description: 'Path of a kind `v1alpha4` Cluster config, relative to the lab folder. The cluster is named after the lab; `lab validate` checks the file.', examples: ['kind.yaml'] }),
}).meta({ description: 'kind labs only (required there, refused for sandbox labs): the cluster the lab creates.' });

/** A lab definition: `labs/<id>/lab.yaml`. See labs/README.md. */
export const labSchema = z
  .strictObject({
    /** Format version; the engine refuses a newer one with an upgrade hint. @example 1 */
    schema: z.literal(SUPPORTED_SCHEMA).meta({
      description: 'Format version of this file; `1` is the only one so far. An engine older than the file refuses it and says how to update the guide.',
      examples: [1],
    }),
    /** Must equal the folder name; lowercase, digits, dashes. @example "pod-network-by-hand" */
    id: z
      .string()
      .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected a lab id: lowercase letters, digits and dashes')
      .meta({ description: 'The lab id: must equal the folder name (`labs/<id>/`); lowercase letters, digits and dashes. Chapters embed the lab by it (`<Lab id="<id>" />`) and the CLI takes it: `npm run lab -- run <id>`.', examples: ['pod-network-by-hand'] }),
    /** @example "Pod networking by hand" */
    title: z.string().min(1).meta({ description: 'The lab title, one line; shown on the lab card and by `lab list`.', examples: ['Pod networking by hand'] }),
    /** Slug of the chapter that embeds it. @example "network-model" */
    chapter: z.string().min(1).meta({ description: 'Slug of the chapter that embeds the lab: its folder under `content/`.', examples: ['network-model', 'cni'] }),
    /** `sandbox` (network namespaces, Linux only) or `kind` (a real cluster). */
    backend: z.enum(['sandbox', 'kind']).meta({
      description: '`sandbox`: network namespaces inside one private outer namespace; Linux only, no Docker. `kind`: a real kind cluster named after the lab, with its own kubeconfig; needs Docker or Podman, kind and kubectl, and `cluster`.',
      examples: ['sandbox', 'kind'],
    }),
    /** Markdown, one paragraph: what the lab builds. */
    summary: z.string().min(1).meta({
      description: 'Markdown, one paragraph: what the lab builds. Write it with `>` to fold lines. `{{ path }}` reads a value from labs/versions.yaml.',
      examples: ['Two nodes, two pods each, wired by hand with veth pairs, a bridge and routes.', 'A kind cluster running Cilium {{ cilium.version }} in tunnel mode.'],
    }),
    /** Executables checked by `lab doctor <id>`, in addition to the backend's own. */
    prerequisites: z.array(prerequisiteSchema).default([]).meta({
      description: "Executables the lab needs beyond the backend's own, checked by `npm run lab -- doctor <id>` and before `lab up`; default none.",
    }),
    /** Kind only. */
    cluster: clusterSchema.optional(),
    /** Commands run by `lab up`, in order. */
    setup: z.array(commandSchema).default([]).meta({
      description: 'Commands `lab up` runs in order once the backend is ready (sandbox: the outer namespace; kind: the cluster). Each has `run` and may set `target` and `timeout` (default `2m`). A failure tears the lab down again.',
    }),
    /** Long-running processes, started after setup and stopped at down (sandbox only). */
    daemons: z.array(daemonSchema).default([]).meta({
      description:
        "Long-running processes the lab needs (sandbox labs only): each is started after `setup`, in order, and waited for until ready; `lab down` stops them before `teardown`. Their logs stay in the lab's state folder (`npm run lab -- logs <lab> <daemon>`) and are shown when a step fails; default none.",
    }),
    /** Commands run by `lab down`, before the backend removes the rest. */
    teardown: z.array(commandSchema).default([]).meta({
      description: 'Commands `lab down` runs in order before the backend removes the rest (sandbox: every process and namespace; kind: the cluster); default none. Each may set `target` and `timeout` (default `30s`).',
    }),
    /** Packet walks (sandbox only), recorded for pages and proved like checks. */
    walks: z.array(walkSchema).default([]).meta({
      description: 'Packet walks (sandbox labs only): one probe each, followed hop by hop through the real data plane by `npm run lab -- trace`, recorded into `walks/<id>.json` for pages (`npm run lab:record`) and proved by `lab prove` like checks; default none.',
    }),
    /** The lab's steps, in order. */
    steps: z.array(stepSchema).min(1, 'expected at least one step').meta({
      description: "The lab's steps, in order; at least one. Each has a `type`: `demo`, `check` or `exercise`.",
    }),
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
    const daemonNames = new Map<string, number>();
    lab.daemons.forEach((daemon, index) => {
      const first = daemonNames.get(daemon.name);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['daemons', index, 'name'], message: `duplicate daemon name "${daemon.name}" (first used by daemons.${first})` });
      else daemonNames.set(daemon.name, index);
    });
    const walkIds = new Map<string, number>();
    lab.walks.forEach((walk, index) => {
      const first = walkIds.get(walk.id);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['walks', index, 'id'], message: `duplicate walk id "${walk.id}" (first used by walks.${first})` });
      else walkIds.set(walk.id, index);
    });
    if (lab.backend === 'kind' && lab.walks.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['walks'], message: 'expected no walks in a kind lab: packet walks trace the sandbox data plane' });
    }
    if (lab.backend === 'kind' && lab.daemons.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['daemons'], message: 'expected no daemons in a kind lab: run long-lived processes as pods in the cluster' });
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
