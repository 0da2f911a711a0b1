import { parseTraceLine } from './nft-trace.ts';
import { parseTopology, type Topology } from './topology.ts';
import { buildWalk, visitsOf, type ArrivedLine, type Probe, type Visit } from './walk.ts';
import type { Hop, Walk } from './types.ts';

/**
 * Reads a walk's trace, line by line, and builds the walk from it at any moment:
 * `@@topology-json <namespace>` (or the shell's raw `@@topology` lines) describe the lab,
 * `@@probe <proto> <port> <from> <to>` marks the probe, `@@line <ns>\t<nft monitor trace line>` are
 * the kernel's reports, `@@end` the end. The same text, saved (`lab trace --raw`), is a test
 * fixture: a walk is a pure function of it.
 */
export class WalkCollector {
  readonly #lab: string;
  readonly #topologyLines: string[] = [];
  readonly #topologyJson: Topology['namespaces'] = [];
  readonly #lines = new Map<string, ArrivedLine[]>();
  #topology: Topology | undefined;
  #buffer = '';
  #seq = 0;
  probe: Probe | undefined;
  ended = false;
  error: string | undefined;
  /** Every line read, as read (for fixtures). */
  readonly raw: string[] = [];

  constructor(lab: string) {
    this.#lab = lab;
  }

  /** Feeds a chunk of output; returns true when it brought new trace lines of the probe. */
  push(chunk: string): boolean {
    this.#buffer += chunk;
    let fresh = false;
    let nl: number;
    while ((nl = this.#buffer.indexOf('\n')) >= 0) {
      const line = this.#buffer.slice(0, nl);
      this.#buffer = this.#buffer.slice(nl + 1);
      if (this.#read(line)) fresh = true;
    }
    return fresh;
  }

  #read(raw: string): boolean {
    if (!raw.startsWith('@@')) return false;
    this.raw.push(raw);
    if (raw.startsWith('@@line ')) {
      if (!this.probe) return false;
      const tab = raw.indexOf('\t');
      const ns = raw.slice(7, tab);
      const line = parseTraceLine(raw.slice(tab + 1));
      if (!line) return false;
      // Sentinels and what they provoke (ICMP port unreachable on lo) are not the probe.
      if (line.packet && (line.packet.src === '127.0.0.1' || line.packet.src === '::1')) return false;
      const list = this.#lines.get(ns) ?? [];
      this.#lines.set(ns, list);
      if (list.length >= 20_000) return false;
      list.push({ ...line, seq: this.#seq++ });
      return true;
    }
    if (raw.startsWith('@@topology ')) this.#topologyLines.push(raw);
    else if (raw.startsWith('@@topology-json ')) this.#topologyJson.push(JSON.parse(raw.slice(16)) as Topology['namespaces'][number]);
    else if (raw.startsWith('@@probe ')) {
      const [, proto, port, from, to] = raw.split(' ');
      this.probe = { proto: proto as Probe['proto'], port: Number(port), from: from!, to: to! };
    } else if (raw === '@@end') this.ended = true;
    else if (raw.startsWith('@@error ')) this.error = raw.slice(8);
    return false;
  }

  /** The lab's topology: given by the session, or read from the stream (saved walks). */
  setTopology(topology: Topology): void {
    this.#topology = topology;
  }

  topology(): Topology {
    return (this.#topology ??= this.#topologyJson.length > 0 ? { namespaces: this.#topologyJson } : parseTopology(this.#topologyLines));
  }

  walk(): Walk {
    if (!this.probe) return { lab: this.#lab, from: '', to: '', proto: 'tcp', request: { hops: [], outcome: 'lost' } };
    const byNs = new Map<string, Visit[]>();
    for (const [ns, lines] of this.#lines) byNs.set(ns, visitsOf(ns, lines));
    return buildWalk(this.#lab, this.probe, byNs, this.topology());
  }
}

/** Builds the walk from a saved trace stream (a fixture, or `lab trace --raw`). */
export function walkFromStream(lab: string, text: string): Walk {
  const collector = new WalkCollector(lab);
  collector.push(text.endsWith('\n') ? text : `${text}\n`);
  return collector.walk();
}

/**
 * Hops that can no longer change. The monitors of different namespaces report independently, so a
 * later namespace may report before an earlier one has finished: a hop is settled once it is
 * complete (delivered, dropped, or its way out is known) and a later hop exists, or the walk is
 * final. The reply's hops follow the request's.
 */
export function settledHops(walk: Walk, final: boolean): { direction: 'request' | 'reply'; hops: Hop[] }[] {
  const out: { direction: 'request' | 'reply'; hops: Hop[] }[] = [];
  const complete = (h: Hop) => h.kind === 'delivered' || h.kind === 'dropped' || h.out !== undefined;
  for (const direction of ['request', 'reply'] as const) {
    const hops = walk[direction]?.hops ?? [];
    const terminal = hops.at(-1)?.kind === 'delivered' || hops.at(-1)?.kind === 'dropped';
    let settled = 0;
    if (final) settled = hops.length;
    else while (settled < hops.length && complete(hops[settled]!) && (settled < hops.length - 1 || terminal)) settled++;
    out.push({ direction, hops: hops.slice(0, settled) });
    if (direction === 'request' && settled < hops.length) break;
    if (direction === 'request' && !terminal && !final) break;
  }
  return out;
}
