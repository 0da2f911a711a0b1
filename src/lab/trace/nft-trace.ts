import type { PacketHeaders } from './types.ts';

/**
 * Parses the lines `nft monitor trace` prints (nftables 1.0.x), for native nftables rules and for
 * iptables-nft rules alike:
 *
 *   trace id 90d0a8de ip nat PREROUTING packet: iif "cni0" ether saddr … ip saddr 10.244.1.4 …
 *   trace id 90d0a8de ip nat KUBE-SEP-UIQK3OSOSTRHRPBX rule meta l4proto tcp counter packets 0 bytes 0 dnat to 10.244.1.2:8080 (verdict accept)
 *   trace id 90d0a8de ip filter FORWARD policy accept
 */

export interface TraceLine {
  /** The kernel's trace id: one per packet per namespace visit (reused for later packets). */
  id: string;
  family: string;
  table: string;
  chain: string;
  kind: 'packet' | 'rule' | 'policy' | 'verdict';
  /** `packet`: the headers at this hook. */
  packet?: PacketHeaders;
  /** `rule`: the rule as printed, without counters. */
  rule?: string;
  /** `rule`, `policy`, `verdict`: accept, drop, jump X, continue, return, goto X. */
  verdict?: string;
}

const LINE = /^trace id ([0-9a-f]+) (\S+) (\S+) (\S+) (packet: |rule |policy |verdict )(.*)$/;

function field(text: string, re: RegExp): string | undefined {
  return re.exec(text)?.[1];
}

function num(text: string, re: RegExp): number | undefined {
  const value = field(text, re);
  return value === undefined ? undefined : Number(value);
}

/** Headers from the text after `packet:`; undefined for non-IP frames (ARP, raw). */
export function parsePacket(text: string): PacketHeaders | undefined {
  const v4 = /(?:^| )ip saddr (\S+) ip daddr (\S+)/.exec(text);
  const v6 = /(?:^| )ip6 saddr (\S+) ip6 daddr (\S+)/.exec(text);
  const addresses = v4 ?? v6;
  if (!addresses) return undefined;
  const proto =
    /(?:^| )tcp sport /.test(text) ? 'tcp' : /(?:^| )udp sport /.test(text) ? 'udp' : /(?:^| )icmpv6 type /.test(text) ? 'icmpv6' : /(?:^| )icmp type /.test(text) ? 'icmp' : (field(text, /(?:^| )ip protocol (\S+)/) ?? field(text, /(?:^| )ip6 nexthdr (\S+)/) ?? 'unknown');
  const headers: PacketHeaders = { family: v4 ? 4 : 6, src: addresses[1]!, dst: addresses[2]!, proto };
  const iif = field(text, /(?:^| )iif "([^"]+)"/);
  const oif = field(text, /(?:^| )oif "([^"]+)"/);
  if (iif) headers.iif = iif;
  if (oif) headers.oif = oif;
  const ipId = num(text, / ip id (\d+)/);
  if (ipId !== undefined) headers.ipId = ipId;
  if (proto === 'tcp' || proto === 'udp') {
    headers.sport = num(text, new RegExp(` ${proto} sport (\\d+)`));
    headers.dport = num(text, new RegExp(` ${proto} dport (\\d+)`));
  }
  if (proto === 'tcp') {
    const flags = field(text, / tcp flags == (\S+)/);
    if (flags) headers.flags = flags;
  }
  if (proto === 'icmp' || proto === 'icmpv6') {
    const type = field(text, new RegExp(` ${proto} type (\\S+)`));
    if (type) headers.flags = type;
    const id = num(text, new RegExp(` ${proto} id (\\d+)`));
    if (id !== undefined) headers.icmpId = id;
  }
  return headers;
}

/** Strips what changes between runs (counters) and doubled spaces from a rule's text. */
export function cleanRule(text: string): string {
  return text
    .replace(/(^| )counter packets \d+ bytes \d+/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** One line, or undefined for lines that are not trace events (blank lines, errors). */
export function parseTraceLine(line: string): TraceLine | undefined {
  const m = LINE.exec(line.trim());
  if (!m) return undefined;
  const [, id, family, table, chain, kindWord, rest] = m as unknown as [string, string, string, string, string, string, string];
  const base = { id, family, table, chain };
  switch (kindWord) {
    case 'packet: ': {
      const packet = parsePacket(rest);
      return packet ? { ...base, kind: 'packet', packet } : { ...base, kind: 'packet' };
    }
    case 'rule ': {
      const verdict = /\(verdict ([^)]+)\)\s*$/.exec(rest);
      return { ...base, kind: 'rule', rule: cleanRule(verdict ? rest.slice(0, verdict.index) : rest), verdict: verdict?.[1] ?? 'continue' };
    }
    case 'policy ':
      return { ...base, kind: 'policy', verdict: rest.trim() };
    default:
      return { ...base, kind: 'verdict', verdict: rest.trim() };
  }
}
