import type { Hop, HopKind, PacketHeaders, Rewrite, RuleHit, Walk, WalkDirection } from './types.ts';
import type { TraceLine } from './nft-trace.ts';
import { interfaceOf, isTunnel, peerOf, type Topology } from './topology.ts';

/**
 * Turns the trace lines of every namespace into a walk. Each namespace's lines are grouped into
 * visits (one packet's passage through that namespace: our tracing table's first chain opens
 * one), and visits are chained by the packet's headers: the headers a packet leaves one namespace
 * with are the headers it arrives with in the next (forwarding and NAT keep the IPv4 id), so no
 * topology or clock is needed to put the hops in order.
 */

/** Our tracing table (src/lab/trace/run.ts installs it in every namespace of the lab). */
export const TRACE_TABLE = 'lab-trace';

export interface Visit {
  ns: string;
  /** Arrival order across all namespaces (as the lines were read). */
  seq: number;
  id: string;
  lines: TraceLine[];
  /** How it began: sent from here (`out`), or arrived (`pre`, at the bridge or the IP layer). */
  start: 'out' | 'pre';
  bridged: boolean;
}

export interface Probe {
  from: string;
  proto: 'tcp' | 'udp' | 'icmp';
  /** The probe's source port (tcp, udp) or echo id (icmp). */
  port: number;
  /** The address it is sent to. */
  to: string;
}

/** A trace line as it arrived: its namespace and its place in the arrival order of all lines. */
export interface ArrivedLine extends TraceLine {
  seq: number;
}

/** Could these be the same packet at two hooks of one namespace (NAT may have changed one end)? */
function sameAcrossHooks(a: PacketHeaders, b: PacketHeaders): boolean {
  if (a.family !== b.family || a.proto !== b.proto || a.flags !== b.flags || a.icmpId !== b.icmpId) return false;
  if (a.ipId !== undefined && b.ipId !== undefined && a.ipId !== b.ipId) return false;
  const sourceKept = a.src === b.src && a.sport === b.sport;
  const destinationKept = a.dst === b.dst && a.dport === b.dport;
  return sourceKept || destinationKept;
}

/**
 * Groups one namespace's lines into visits, in order. Our tracing table's first chains open a
 * visit (`out` for a packet sent here, `pre` for one arriving; a frame bridged and then routed
 * here reaches the IP layer's `pre` after the bridge's). Other lines join the visit of their
 * trace id. The kernel derives the id from the packet buffer, which br_netfilter may replace on
 * the way, so a line with an id not seen yet joins the latest visit whose packet it matches.
 */
export function visitsOf(ns: string, lines: ArrivedLine[]): Visit[] {
  const visits: Visit[] = [];
  const byId = new Map<string, Visit>();
  const lastPacket = (visit: Visit) => visit.lines.filter((l) => l.packet).at(-1)?.packet;
  const matching = (packet: PacketHeaders | undefined, accept: (v: Visit) => boolean) =>
    packet === undefined ? undefined : [...visits].reverse().find((v) => accept(v) && lastPacket(v) !== undefined && sameAcrossHooks(lastPacket(v)!, packet));
  for (const line of lines) {
    const opening = line.table === TRACE_TABLE && line.kind === 'packet' && (line.chain === 'pre' || line.chain === 'out');
    let visit = byId.get(line.id);
    if (opening) {
      const ipLayer = (v: Visit) => v.lines.some((l) => l.table === TRACE_TABLE && l.family !== 'bridge' && l.kind === 'packet' && (l.chain === 'pre' || l.chain === 'out'));
      // The IP layer's prerouting of a frame the bridge of this namespace passed up.
      const bridgedUp = line.family !== 'bridge' && line.chain === 'pre' ? matching(line.packet, (v) => v.bridged && !ipLayer(v)) : undefined;
      if (bridgedUp) visit = bridgedUp;
      else if (!(visit && line.family !== 'bridge' && visit.bridged && !ipLayer(visit))) {
        visit = { ns, seq: line.seq, id: line.id, lines: [], start: line.chain === 'out' ? 'out' : 'pre', bridged: line.family === 'bridge' };
        visits.push(visit);
      }
    } else if (!visit && line.kind === 'packet') {
      visit = matching(line.packet, () => true);
    }
    if (!visit) continue;
    byId.set(line.id, visit);
    visit.lines.push(line);
  }
  return visits;
}

const packets = (visit: Visit) => visit.lines.filter((l) => l.kind === 'packet' && l.packet).map((l) => l as TraceLine & { packet: PacketHeaders });
const at = (visit: Visit, family: string | undefined, chain: string) => visit.lines.find((l) => l.table === TRACE_TABLE && l.kind === 'packet' && l.chain === chain && (family === undefined || l.family === family));

function entry(visit: Visit): PacketHeaders | undefined {
  return packets(visit)[0]?.packet;
}

/** The headers the packet left with: our last postrouting chain, else the last headers seen. */
function exit(visit: Visit): PacketHeaders | undefined {
  const post = at(visit, 'inet', 'post-last') ?? at(visit, 'bridge', 'post-last') ?? at(visit, 'bridge', 'fwd-last');
  return post?.packet ?? packets(visit).at(-1)?.packet;
}

/** Bridged between two ports of a bridge here (the bridge's forward hook saw it)? */
function bridgedThrough(visit: Visit): TraceLine | undefined {
  return at(visit, 'bridge', 'fwd-last');
}

/** The interface the packet left by: the bridge port when it was bridged out, else the routed device. */
function exitInterface(visit: Visit): string | undefined {
  const bridgeOut = at(visit, 'bridge', 'post-last') ?? at(visit, 'bridge', 'fwd-last');
  return bridgeOut?.packet?.oif ?? exit(visit)?.oif;
}

function dropped(visit: Visit): TraceLine | undefined {
  return visit.lines.find((l) => (l.kind === 'rule' || l.kind === 'policy') && /^drop\b/.test(l.verdict ?? ''));
}

function delivered(visit: Visit): boolean {
  return at(visit, 'inet', 'in-last') !== undefined;
}

/** Same packet? Addresses, protocol, ports, flags and (when both show one) the IPv4 id. */
function samePacket(a: PacketHeaders, b: PacketHeaders): boolean {
  return (
    a.family === b.family &&
    a.src === b.src &&
    a.dst === b.dst &&
    a.proto === b.proto &&
    a.sport === b.sport &&
    a.dport === b.dport &&
    a.flags === b.flags &&
    a.icmpId === b.icmpId &&
    (a.ipId === undefined || b.ipId === undefined || a.ipId === b.ipId)
  );
}

/** The same flow in another form (translated between IPv6 and IPv4): ports, flags or echo id kept. */
function sameFlow(a: PacketHeaders, b: PacketHeaders): boolean {
  const icmp = (p: PacketHeaders) => p.proto === 'icmp' || p.proto === 'icmpv6';
  if (icmp(a) && icmp(b)) return a.icmpId === b.icmpId;
  return a.proto === b.proto && a.sport === b.sport && a.dport === b.dport && a.flags === b.flags;
}

function endpoint(h: PacketHeaders, side: 'src' | 'dst'): string {
  const port = side === 'src' ? h.sport : h.dport;
  const address = side === 'src' ? h.src : h.dst;
  if (port === undefined) return address;
  return h.family === 6 ? `[${address}]:${port}` : `${address}:${port}`;
}

/** TCP flags as people write them: nft prints names for single flags, hex for combinations. */
export function tcpFlags(flags: string | undefined): string {
  if (!flags) return '';
  const bits = /^0x[0-9a-f]+$/.test(flags) ? Number(flags) : undefined;
  if (bits === undefined) return flags.toUpperCase();
  const names = [['FIN', 0x01], ['SYN', 0x02], ['RST', 0x04], ['PSH', 0x08], ['ACK', 0x10], ['URG', 0x20]] as const;
  return names.filter(([, bit]) => bits & bit).map(([name]) => name).join('-') || flags;
}

export function describe(h: PacketHeaders): string {
  const what = h.proto === 'tcp' ? `TCP ${tcpFlags(h.flags)}`.trim() : h.proto === 'udp' ? 'UDP' : `${h.proto.toUpperCase()} ${h.flags ?? ''}`.trim();
  return `${endpoint(h, 'src')} → ${endpoint(h, 'dst')} (${what})`;
}

function ruleHits(visit: Visit): RuleHit[] {
  return visit.lines
    .filter((l) => l.table !== TRACE_TABLE && (l.kind === 'rule' || (l.kind === 'policy' && l.verdict !== 'accept')))
    .map((l) => ({ chain: `${l.family} ${l.table} ${l.chain}`, rule: l.kind === 'policy' ? `policy ${l.verdict}` : (l.rule ?? ''), verdict: l.verdict ?? 'continue' }));
}

/** Address and port changes inside a visit, each tied to the NAT rule that made it (if any). */
function rewritesOf(visit: Visit, before: PacketHeaders, after: PacketHeaders): Rewrite[] {
  const rewrites: Rewrite[] = [];
  const natRule = (re: RegExp) => visit.lines.find((l) => l.kind === 'rule' && l.rule !== undefined && re.test(l.rule));
  if (before.dst !== after.dst || before.dport !== after.dport) {
    const rule = natRule(/\b(dnat|redirect)\b/);
    rewrites.push({ kind: rule ? (/\bredirect\b/.test(rule.rule!) ? 'redirect' : 'dnat') : 'un-nat', change: `destination ${endpoint(before, 'dst')} → ${endpoint(after, 'dst')}`, rule: rule ? `${rule.family} ${rule.table} ${rule.chain}: ${rule.rule}` : undefined });
  }
  if (before.src !== after.src || before.sport !== after.sport) {
    const rule = natRule(/\b(snat|masquerade)\b/);
    rewrites.push({ kind: rule ? (/\bmasquerade\b/.test(rule.rule!) ? 'masquerade' : 'snat') : 'un-nat', change: `source ${endpoint(before, 'src')} → ${endpoint(after, 'src')}`, rule: rule ? `${rule.family} ${rule.table} ${rule.chain}: ${rule.rule}` : undefined });
  }
  return rewrites;
}

function hopOf(visit: Visit, topology: Topology): Hop {
  const tunnel = (ns: string, ifname: string) => isTunnel(topology, ns, ifname);
  const first = entry(visit)!;
  const last = exit(visit) ?? first;
  const drop = dropped(visit);
  const into = delivered(visit);
  const out = drop || into ? undefined : (exitInterface(visit) ?? packets(visit).map((p) => p.packet.oif).filter(Boolean).at(-1));
  const vxlanOuter = first.proto === 'udp' && (first.dport === 8472 || first.dport === 4789);
  const kind: HopKind = drop ? 'dropped' : into ? 'delivered' : visit.start === 'out' ? (vxlanOuter ? 'encapsulated' : 'sent') : bridgedThrough(visit) ? 'bridged' : 'forwarded';
  const rewrites = rewritesOf(visit, first, last);
  const hop: Hop = { ns: visit.ns, kind, packet: first, rules: ruleHits(visit), rewrites, summary: '' };
  if (visit.start === 'pre' && first.iif) hop.in = first.iif;
  if (out) hop.out = out;
  if (rewrites.length > 0) hop.after = last;
  if (kind === 'forwarded' && out && tunnel(visit.ns, out)) hop.rewrites.push({ kind: 'encap', change: `into the tunnel device ${out}` });
  if (kind === 'forwarded' && hop.in && tunnel(visit.ns, hop.in)) hop.rewrites.unshift({ kind: 'decap', change: `out of the tunnel device ${hop.in}` });
  hop.summary = summarize(hop, drop);
  return hop;
}

function summarize(hop: Hop, drop: TraceLine | undefined): string {
  const nat = hop.rewrites.filter((r) => r.kind !== 'encap' && r.kind !== 'decap').map((r) => `${r.kind === 'un-nat' ? 'conntrack translates back the' : r.kind.toUpperCase()} ${r.change}`);
  const tail = nat.length > 0 ? `; ${nat.join('; ')}` : '';
  switch (hop.kind) {
    case 'sent':
      return `${hop.ns} sends ${describe(hop.packet)}${hop.out ? ` out of ${hop.out}` : ''}${tail}`;
    case 'encapsulated':
      return `${hop.ns} wraps it in ${describe(hop.packet)}${hop.out ? ` out of ${hop.out}` : ''}`;
    case 'delivered':
      return `${hop.ns} receives ${describe(hop.after ?? hop.packet)}${hop.in ? ` on ${hop.in}` : ''}${tail}`;
    case 'dropped':
      return `${hop.ns} drops it in ${drop ? `${drop.family} ${drop.table} ${drop.chain}` : 'a chain'}: ${drop?.kind === 'policy' ? `the chain's policy is ${drop.verdict}` : (drop?.rule ?? '')}`;
    case 'bridged':
      return `${hop.ns} bridges it from ${hop.in ?? '?'} to ${hop.out ?? '?'}${tail}`;
    default:
      return `${hop.ns} routes it from ${hop.in ?? '?'} to ${hop.out ?? '?'}${tail}`;
  }
}

/**
 * Follows a packet from a first visit until it is delivered, dropped or lost. The next visit is
 * the one whose arrival headers equal this one's departure headers, in the namespace at the other
 * end of the interface it left by (the veth peer); across a tunnel, where no peer is known, the
 * inner packet reappears decapsulated with the same headers in the remote node.
 */
function follow(first: Visit, visits: Visit[], used: Set<Visit>, topology: Topology): WalkDirection {
  const hops: Hop[] = [];
  let current: Visit | undefined = first;
  /** The outer packet the previous hop's tunnel delivered, and where: the decap names it. */
  let unwrapped: { ns: string; text: string } | undefined;
  for (let guard = 0; current && guard < 64; guard++) {
    used.add(current);
    const hop = hopOf(current, topology);
    hops.push(hop);
    const decap = hop.rewrites.find((r) => r.kind === 'decap');
    if (decap && unwrapped?.ns === hop.ns) decap.change += `, from ${unwrapped.text}`;
    unwrapped = undefined;
    if (hop.kind === 'delivered') return { hops, outcome: 'delivered' };
    if (hop.kind === 'dropped') return { hops, outcome: 'dropped' };
    const leaving: PacketHeaders = exit(current)!;
    let after: number = current.seq;
    /** Where the tunnel delivered the outer packet: the inner one reappears there. */
    let decapNs: string | undefined;
    // Into a VXLAN device: the outer packet crosses the underlay (seen where it is bridged or
    // routed there), addressed from this node's tunnel address to the device's UDP port.
    const tunnelOut = hop.out ? interfaceOf(topology, current.ns, hop.out)?.vxlan : undefined;
    if (tunnelOut) {
      const outerFirst = visits
        .filter((v) => !used.has(v) && v.seq > current!.seq && entry(v)?.proto === 'udp' && entry(v)?.dport === tunnelOut.port && (tunnelOut.local === undefined || entry(v)?.src === tunnelOut.local))
        // The node's own send of the outer packet first; the lines' arrival order across
        // namespaces is only roughly the packet's order.
        .sort((a, b) => Number(!(a.ns === current!.ns && a.start === 'out')) - Number(!(b.ns === current!.ns && b.start === 'out')) || a.seq - b.seq)[0];
      if (outerFirst) {
        const outer = follow(outerFirst, visits, used, topology);
        for (const o of outer.hops) {
          o.outer = true;
          if (o.kind === 'sent') o.kind = 'encapsulated';
          if (o.kind === 'delivered') o.kind = 'decapsulated';
          const verb = { encapsulated: 'sends', decapsulated: 'receives and unwraps', bridged: 'bridges', forwarded: 'routes' }[o.kind as string] ?? 'carries';
          o.summary = `${o.ns} ${verb} the VXLAN packet (VNI ${tunnelOut.id}) ${describe(o.packet).replace(/ \(UDP\)$/, '')}${o.in && o.out ? ` from ${o.in} to ${o.out}` : o.out ? ` out of ${o.out}` : ''}`;
          hops.push(o);
        }
        after = outer.hops.length > 0 ? outerFirst.seq : after;
        decapNs = outer.hops.at(-1)?.ns;
        // The encapsulation as seen: the outer packet this node sent, not only the device's name.
        const vxlan = (h: Hop) => `VXLAN (VNI ${tunnelOut.id}) ${describe(h.packet).replace(/ \(UDP\)$/, '')}`;
        const sent = outer.hops[0];
        const encap = hop.rewrites.find((r) => r.kind === 'encap');
        if (sent && encap) encap.change += ` as ${vxlan(sent)}`;
        else if (sent) hop.rewrites.push({ kind: 'encap', change: `into the tunnel device ${hop.out} as ${vxlan(sent)}` });
        const landed = outer.hops.at(-1);
        if (landed?.kind === 'decapsulated') unwrapped = { ns: landed.ns, text: vxlan(landed) };
      }
    }
    const out: string | undefined = exitInterface(current);
    const peer: { ns: string; name: string } | undefined = out ? peerOf(topology, current.ns, out) : undefined;
    const matching = visits.filter((v): boolean => !used.has(v) && v.start === 'pre' && entry(v) !== undefined && samePacket(entry(v)!, leaving));
    const byTime = (a: Visit, b: Visit): number => Math.abs(a.seq - after) - Math.abs(b.seq - after);
    const here: string = current.ns;
    // Into a TUN device: a program reads the packet and may write another one back (tayga turns
    // IPv6 into IPv4 and back). What comes back out of the same device, with the same ports or
    // echo id, is the packet's continuation.
    if (hop.out && interfaceOf(topology, here, hop.out)?.kind === 'tun') {
      const back: Visit | undefined = visits
        .filter((v) => !used.has(v) && v.ns === here && v.start === 'pre' && entry(v)?.iif === hop.out && sameFlow(entry(v)!, leaving))
        .sort(byTime)[0];
      if (back) {
        const translated = entry(back)!;
        hop.rewrites.push({ kind: 'translate', change: `${describe(leaving).replace(/ \(.*\)$/, '')} → ${describe(translated).replace(/ \(.*\)$/, '')}, by the program behind ${hop.out}` });
        current = back;
        continue;
      }
    }
    if (peer) current = matching.filter((v) => v.ns === peer.ns).sort(byTime)[0];
    else {
      // No veth peer (a tunnel): the inner packet reappears where the tunnel ended, arriving on a
      // tunnel device; only then the nearest in time.
      const fromTunnel = (v: Visit) => entry(v)!.iif !== undefined && isTunnel(topology, v.ns, entry(v)!.iif!);
      current =
        matching.filter((v) => v.ns === decapNs && fromTunnel(v)).sort(byTime)[0] ??
        matching.filter(fromTunnel).sort(byTime)[0] ??
        matching.sort(byTime)[0];
    }
  }
  return { hops, outcome: 'lost' };
}

function isRequest(h: PacketHeaders, probe: Probe): boolean {
  if (probe.proto === 'icmp') return (h.proto === 'icmp' || h.proto === 'icmpv6') && /echo-request/.test(h.flags ?? '') && h.icmpId === probe.port;
  return h.proto === probe.proto && h.sport === probe.port && (probe.proto !== 'tcp' || h.flags === 'syn');
}

/** The first packet of the answer: to the request's source port, an echo reply, or an ICMP error. */
function isReply(h: PacketHeaders, request: PacketHeaders, probe: Probe): boolean {
  if (h.dst !== request.src) return false;
  if (h.proto === 'icmp' || h.proto === 'icmpv6') {
    return probe.proto === 'icmp' && /echo-reply/.test(h.flags ?? '') ? h.icmpId === probe.port : /unreachable|prohibited|time-exceeded|parameter-problem/.test(h.flags ?? '');
  }
  return h.proto === probe.proto && h.dport === request.sport;
}

/** The walk of a probe and its reply, from every namespace's visits and the lab's topology. */
export function buildWalk(lab: string, probe: Probe, byNs: Map<string, Visit[]>, topology: Topology = { namespaces: [] }): Walk {
  const visits = [...byNs.values()].flat().sort((a, b) => a.seq - b.seq);
  const used = new Set<Visit>();
  const start = (byNs.get(probe.from) ?? []).find((v) => v.start === 'out' && entry(v) !== undefined && isRequest(entry(v)!, probe));
  const walk: Walk = { lab, from: probe.from, to: probe.to, proto: probe.proto, request: { hops: [], outcome: 'lost' } };
  if (!start) return walk;
  walk.request = follow(start, visits, used, topology);
  const last = walk.request.hops.at(-1)!;
  // The answer starts where the request ended (the server that received it) or where it was
  // rejected; it is addressed to the request's source as seen there.
  const seenThere = last.after ?? last.packet;
  const replyStart = visits.find((v) => !used.has(v) && v.start === 'out' && entry(v) !== undefined && (v.ns === last.ns || walk.request.outcome !== 'delivered') && isReply(entry(v)!, walk.request.outcome === 'delivered' ? seenThere : entry(start)!, probe));
  if (replyStart) walk.reply = follow(replyStart, visits, used, topology);
  return walk;
}
