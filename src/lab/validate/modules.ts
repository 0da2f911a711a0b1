import type { Issue } from '../errors.ts';
import { withoutComments } from './files.ts';

/**
 * Kernel features a sandbox lab's commands and scripts use, recognised by how they are asked for.
 * Inside the lab's user namespace the kernel loads no module on demand, so a lab that uses one must
 * declare it (`prerequisites: - module: …`): `doctor` then probes it and says how to load it,
 * instead of the reader meeting "Operation not supported" halfway through setup. veth is left out:
 * every sandbox lab needs it, and doctor's sandbox probe already creates one.
 */
const USES: { module: string; pattern: RegExp; what: string }[] = [
  { module: 'vxlan', pattern: /\btype\s+vxlan\b/, what: 'makes a VXLAN device' },
  { module: 'bridge', pattern: /\btype\s+bridge\b|\/cni\/bridge\b|"type":\s*"bridge"/, what: 'makes a Linux bridge' },
  { module: 'ifb', pattern: /\btype\s+ifb\b|\/cni\/bandwidth\b|"type":\s*"bandwidth"/, what: 'makes an ifb device' },
  { module: 'nf_tables', pattern: /(?:^|[\s;&|(`])(?:nft|iptables|ip6tables|iptables-restore|ip6tables-restore)(?:\s|$)/m, what: 'writes nftables rules (iptables here is the nft backend)' },
  { module: 'nf_nat', pattern: /\b(?:masquerade|snat|dnat)\b|-j\s+(?:MASQUERADE|SNAT|DNAT)\b|\btype\s+nat\s+hook\b|-t\s+nat\b|\/cni\/portmap\b|"type":\s*"portmap"/i, what: 'translates addresses (NAT)' },
  { module: 'nf_conntrack', pattern: /\bct\s+(?:state|status|mark|original|reply|zone)\b|--ctstate\b|-m\s+conntrack\b|(?:^|[\s;&|(`])conntrack\s/m, what: 'reads connection tracking' },
  { module: 'br_netfilter', pattern: /bridge-nf-call|br_netfilter/, what: 'sends bridged traffic through netfilter' },
  { module: 'sch_tbf', pattern: /\btbf\b|\/cni\/bandwidth\b/, what: 'shapes with a token bucket qdisc' },
  { module: 'sch_ingress', pattern: /\bqdisc\s+add\s+dev\s+\S+\s+(?:handle\s+\S+\s+)?ingress\b|\/cni\/bandwidth\b/, what: 'adds an ingress qdisc' },
  { module: 'tun', pattern: /\/dev\/net\/tun\b|(?:^|[\s;&|(`])tayga(?:\s|$)/m, what: 'uses a TUN device' },
];

export interface ModuleSource {
  file: string;
  at: string;
  text: string;
}

/** One issue per kernel module a sandbox lab uses without declaring it, naming the first use. */
export function undeclaredModuleIssues(sources: ModuleSource[], declared: ReadonlySet<string>, labFile: string): Issue[] {
  const issues: Issue[] = [];
  // Comments are not uses (`# no vxlan here`): strip them once per source, not once per module.
  const code = sources.map((s) => ({ ...s, text: withoutComments(s.text) }));
  for (const use of USES) {
    if (declared.has(use.module)) continue;
    const first = code.find((s) => use.pattern.test(s.text));
    if (!first) continue;
    // A script is named by the line of its first use, a command by its field path.
    const where = first.at || `line ${first.text.split('\n').findIndex((line) => use.pattern.test(line)) + 1}`;
    issues.push({
      file: labFile,
      path: 'prerequisites',
      message: `the lab ${use.what} (${first.file} ${where}) but does not declare it: add \`- module: ${use.module}\` with a \`why\`, so doctor can check it and say how to load it`,
    });
  }
  return issues;
}
