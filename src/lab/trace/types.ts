/**
 * A packet walk: what the kernel did to one packet (and its reply) in a running sandbox lab, hop
 * by hop, read from `nft monitor trace`. Plain data (JSON), recorded for pages and streamed live.
 */

/** Header fields of a packet at one point of its path. */
export interface PacketHeaders {
  family: 4 | 6;
  src: string;
  dst: string;
  /** tcp, udp, icmp, icmpv6, or another protocol name as nft prints it. */
  proto: string;
  sport?: number;
  dport?: number;
  /** TCP flags as nft prints them (`syn`, `0x12`, `ack`), ICMP type (`echo-request`). */
  flags?: string;
  /** ICMP echo id. */
  icmpId?: number;
  /** IPv4 id (kept by forwarding and NAT, so it identifies a packet across hops). */
  ipId?: number;
  iif?: string;
  oif?: string;
}

/** One netfilter rule (or chain policy) the packet met, with its verdict. */
export interface RuleHit {
  /** `ip nat KUBE-SERVICES`, `inet filter input`, `bridge filter forward`. */
  chain: string;
  /** The rule as nft prints it (counters removed), or `policy accept`. */
  rule: string;
  /** accept, drop, jump X, goto X, return, continue. */
  verdict: string;
}

/** An address or port rewrite seen at a hop. */
export interface Rewrite {
  kind: 'dnat' | 'snat' | 'masquerade' | 'redirect' | 'un-nat' | 'encap' | 'decap' | 'translate';
  /** What changed, e.g. `10.96.0.10:80 → 10.244.1.2:8080`. */
  change: string;
  /** The rule that did it, when a rule did (conntrack's reverse translation names none). */
  rule?: string;
}

export type HopKind = 'sent' | 'forwarded' | 'bridged' | 'delivered' | 'dropped' | 'encapsulated' | 'decapsulated' | 'left';

/** What happened to the packet in one network namespace. */
export interface Hop {
  /** The network namespace (a node, a pod, the outside). */
  ns: string;
  kind: HopKind;
  /** Interface it came in on, when it came in (not for a packet sent from here). */
  in?: string;
  /** Interface it left by, when it left. */
  out?: string;
  /** Headers as it arrived (or was sent). */
  packet: PacketHeaders;
  /** Headers as it left, when they changed. */
  after?: PacketHeaders;
  rules: RuleHit[];
  rewrites: Rewrite[];
  /** The routing decision (`ip route get`), when the packet was routed here. */
  route?: string;
  /** One line for readers: what happened here and why. */
  summary: string;
  /** This hop carries the outer (tunnel) packet, not the packet being walked. */
  outer?: boolean;
}

export type WalkOutcome = 'delivered' | 'dropped' | 'lost';

export interface WalkDirection {
  hops: Hop[];
  outcome: WalkOutcome;
}

export interface Walk {
  lab: string;
  from: string;
  to: string;
  proto: 'tcp' | 'udp' | 'icmp';
  request: WalkDirection;
  /** The reply's walk back; absent when the request never arrived or nothing answered. */
  reply?: WalkDirection;
  /** Wall-clock figures of the live run (ms from the start of the trace). */
  timing?: { firstHopMs?: number; doneMs: number };
}
