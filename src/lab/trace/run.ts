import type { Lab } from '../schema/lab.ts';
import { locked } from '../runner/context.ts';
import { TraceSession, type WalkRequest } from './session.ts';
import type { Topology } from './topology.ts';
import type { Walk } from './types.ts';


export type TraceOptions = Omit<WalkRequest, 'proto'> & { proto?: WalkRequest['proto'] };

/**
 * One walk in a sandbox lab that is up, inside an operation that already holds the lab's lock:
 * arm the lab, walk once, disarm (src/lab/trace/session.ts says how). Nothing of the trace is
 * left in the lab afterwards, whatever happened.
 */
export async function traceUnlocked(lab: Lab, opts: TraceOptions): Promise<{ walk: Walk; raw: string; topology: Topology }> {
  const session = await TraceSession.open(lab, opts.signal);
  try {
    const { walk, raw } = await session.walk({ ...opts, proto: opts.proto ?? 'tcp' });
    return { walk, raw, topology: session.topology };
  } finally {
    await session.close();
  }
}

/** One walk, taking the lab's lock for the duration. */
export function trace(lab: Lab, opts: TraceOptions): Promise<{ walk: Walk; raw: string; topology: Topology }> {
  return locked(lab, 'trace', () => traceUnlocked(lab, opts));
}
