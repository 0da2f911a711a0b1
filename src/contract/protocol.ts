/**
 * The lab WebSocket protocol: typed JSON messages, validated on arrival.
 * Client -> server messages are parsed with `clientMessageSchema`; anything else is refused with an
 * `error` message. Server -> client messages are the `ServerMessage` union; engine events are
 * forwarded unchanged inside `{ type: 'event' }`.
 */
import { z } from 'zod';
import type { LabEvent, StepStatus } from '../lab/events.ts';
import type { Hop, Walk } from '../lab/trace/types.ts';

/** Largest WebSocket message the server accepts (bytes). Larger ones close the socket (1009). */
export const MAX_MESSAGE_BYTES = 32 * 1024;
/** Largest chunk of shell input in one message (characters). */
export const MAX_INPUT_CHARS = 8 * 1024;

const labId = z.string().max(64).regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected a lab id');
const stepId = z.string().max(64).regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected a step id');
const target = z.string().max(64).regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'expected a target name');
const walkId = z.string().max(64).regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected a walk id');
const shellId = z.number().int().min(1).max(1e9);
const cols = z.number().int().min(2).max(1000);
const rows = z.number().int().min(1).max(500);

export const clientMessageSchema = z.discriminatedUnion('type', [
  /** Must be the first message on a connection. */
  z.strictObject({ type: z.literal('auth'), token: z.string().max(256) }),
  /** Run one step (the lab is started first if this server has not started it). */
  z.strictObject({ type: z.literal('run'), lab: labId, step: stepId }),
  /** Cancel whatever runs in this lab (a step, start or teardown started by this client). */
  z.strictObject({ type: z.literal('cancel'), lab: labId }),
  /** Start the lab: prerequisites and setup. */
  z.strictObject({ type: z.literal('up'), lab: labId }),
  /** Tear the lab down. */
  z.strictObject({ type: z.literal('down'), lab: labId }),
  /** Run one of the lab's packet walks live (the lab is started first if it is not up). */
  z.strictObject({ type: z.literal('walk'), lab: labId, walk: walkId }),
  /** Get ready for live walks if the lab is up (tracing armed), so the first one answers at once. */
  z.strictObject({ type: z.literal('walk-arm'), lab: labId }),
  /** A free shell in the lab's environment (`host`, a node or a pod). */
  z.strictObject({ type: z.literal('shell-open'), lab: labId, target: target.default('host'), cols: cols.default(80), rows: rows.default(24) }),
  z.strictObject({ type: z.literal('shell-input'), shell: shellId, data: z.string().max(MAX_INPUT_CHARS) }),
  z.strictObject({ type: z.literal('shell-resize'), shell: shellId, cols, rows }),
  z.strictObject({ type: z.literal('shell-close'), shell: shellId }),
]);

export type ClientMessage = z.infer<typeof clientMessageSchema>;

/** What a lab operation is. */
export type LabOp = 'run' | 'up' | 'down' | 'walk';

export type ErrorCode =
  | 'unauthorized' // first message was not a valid auth
  | 'bad-message' // not JSON, or not one of the message types
  | 'unknown-lab'
  | 'unknown-step'
  | 'unknown-shell'
  | 'busy' // the lab is already running something
  | 'unsupported' // e.g. the lab's backend cannot run on this machine
  | 'failed'; // the operation threw

export type ServerMessage =
  /** Auth accepted. `labs`: ids of labs this server can run; `busy`: labs running something now. */
  | { type: 'ready'; labs: string[]; busy: string[] }
  /** An engine event, as the engine emitted it. */
  | { type: 'event'; event: LabEvent }
  /** An operation began or ended. `status` is the step's final status for `run`. */
  | { type: 'op'; lab: string; op: LabOp; step?: string; state: 'started' | 'ended'; ok?: boolean; status?: StepStatus; message?: string }
  /** Output was dropped because the client reads too slowly (bounded buffering). */
  | { type: 'dropped'; lab: string; bytes: number }
  | { type: 'error'; code: ErrorCode; message: string; lab?: string; step?: string; shell?: number }
  /** A hop of a live walk, as soon as the kernel's trace settled it. */
  | { type: 'walk-hop'; lab: string; walk: string; direction: 'request' | 'reply'; index: number; hop: Hop }
  /** A live walk ended: the whole walk, and whether it shows what the lab expects of it. */
  | { type: 'walk-done'; lab: string; walk: string; result?: Walk; passed: boolean; reason?: string }
  | { type: 'shell-opened'; shell: number; lab: string; target: string }
  | { type: 'shell-output'; shell: number; data: string }
  | { type: 'shell-exit'; shell: number; exitCode: number | null };

/** Parses one raw message; returns the message or a one-line reason. */
export function parseClientMessage(raw: string): { ok: true; message: ClientMessage } | { ok: false; reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, reason: 'expected a JSON object' };
  }
  const parsed = clientMessageSchema.safeParse(json);
  if (parsed.success) return { ok: true, message: parsed.data };
  const issue = parsed.error.issues[0];
  const path = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  return { ok: false, reason: `${path}${issue?.message ?? 'invalid message'}` };
}
