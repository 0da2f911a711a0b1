import { spawnSync } from 'node:child_process';

/**
 * Everything about the root network namespace a lab could change: links, routes, rules, named
 * namespaces, iptables and nftables. Sandbox tests compare it before and after a lab.
 */
export function rootNamespaceSnapshot(): Record<string, string> {
  const sh = (cmd: string) => spawnSync('bash', ['-c', cmd], { encoding: 'utf8' }).stdout;
  return {
    links: sh('ip -d link'),
    routes: sh('ip route; ip -6 route'),
    rules: sh('ip rule; ip -6 rule'),
    netns: sh('ip netns list'),
    iptables: sh('iptables-save 2>/dev/null | grep -v "^#"; ip6tables-save 2>/dev/null | grep -v "^#"'),
    nft: sh('nft list ruleset 2>/dev/null'),
  };
}
