/**
 * Walks built from whole runs recorded in the sandbox labs (tests/fixtures/trace/*.txt, written by
 * `npm run lab -- trace … --raw`): the hops, the rules that moved the packet, the rewrites, and
 * the reply. A walk is a pure function of that text.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { walkFromStream } from '../../../src/lab/trace/collector.ts';
import { checkWalk } from '../../../src/lab/trace/expect.ts';
import type { Walk } from '../../../src/lab/trace/types.ts';

const fixture = (name: string): Walk => walkFromStream('fixture', readFileSync(`tests/fixtures/trace/${name}.txt`, 'utf8'));
const path = (hops: Walk['request']['hops'], outer = false) => hops.filter((h) => outer || !h.outer).map((h) => h.ns).join(' ');
const rules = (walk: Walk) => walk.request.hops.flatMap((h) => h.rules.map((r) => `${r.chain}: ${r.rule} → ${r.verdict}`));

test('ClusterIP in iptables mode: KUBE-SERVICES → KUBE-SVC → KUBE-SEP, the DNAT, and conntrack translating the reply back', () => {
  const walk = fixture('clusterip-iptables');
  assert.equal(path(walk.request.hops), 'client1 node1 web-b');
  assert.equal(walk.request.outcome, 'delivered');
  const node1 = walk.request.hops[1]!;
  assert.equal(node1.kind, 'bridged', 'br_netfilter: DNAT to a pod on the same bridge, bridged out');
  assert.deepEqual(
    node1.rules.map((r) => r.chain).filter((c) => c.startsWith('ip nat KUBE')),
    ['ip nat KUBE-SERVICES', 'ip nat KUBE-SVC-CDGGSHYLG3RE2FKL', 'ip nat KUBE-SEP-2AZ33KU3V5PGPQZH', 'ip nat KUBE-POSTROUTING'],
  );
  assert.deepEqual(node1.rewrites, [{ kind: 'dnat', change: 'destination 10.96.0.10:80 → 10.244.1.3:8080', rule: 'ip nat KUBE-SEP-2AZ33KU3V5PGPQZH: meta l4proto tcp dnat to 10.244.1.3:8080' }]);
  assert.equal(path(walk.reply!.hops), 'web-b node1 client1');
  assert.deepEqual(walk.reply!.hops[1]!.rewrites.map((r) => [r.kind, r.change]), [['un-nat', 'source 10.244.1.3:8080 → 10.96.0.10:80']]);
  assert.equal(walk.reply!.hops.at(-1)!.packet.src, '10.96.0.10', 'the client hears from the ClusterIP');
});

test('ClusterIP in nftables mode: one verdict-map lookup, numgen, the endpoint chain', () => {
  const walk = fixture('clusterip-nftables');
  assert.equal(path(walk.request.hops), 'client2 node2 web-c');
  const found = rules(walk);
  assert.ok(found.some((r) => /^ip kube-proxy services: ip daddr \. meta l4proto \. th dport vmap @service-ips → goto service-SUSTUHLJ-default\/web\/tcp\/http$/.test(r)), found.join('\n'));
  assert.ok(found.some((r) => /^ip kube-proxy service-SUSTUHLJ-default\/web\/tcp\/http: numgen random mod 3 vmap/.test(r)));
  assert.ok(found.some((r) => /endpoint-AAOQDDFY-default\/web\/tcp\/http__10\.244\.2\.2\/8080: meta l4proto tcp dnat to 10\.244\.2\.2:8080 → accept$/.test(r)));
});

test('NodePort from outside: DNAT and masquerade on the node, the reply un-NATed both ways', () => {
  const walk = fixture('nodeport-masquerade');
  assert.equal(path(walk.request.hops), 'outside lan node1 web-a');
  const node1 = walk.request.hops[2]!;
  assert.deepEqual(node1.rewrites.map((r) => r.kind), ['dnat', 'masquerade']);
  assert.match(node1.rewrites[1]!.rule ?? '', /^ip nat KUBE-POSTROUTING: masquerade fully-random$/);
  assert.equal(walk.request.hops.at(-1)!.packet.src, '10.244.1.1', 'the backend sees the node, not the client');
  assert.equal(path(walk.reply!.hops), 'web-a node1 lan outside');
  assert.deepEqual(walk.reply!.hops[1]!.rewrites.map((r) => r.kind), ['un-nat', 'un-nat']);
});

test('a policy drop: the rule that dropped it, and the reset sent back by the node that dropped it', () => {
  const walk = fixture('policy-drop');
  assert.equal(walk.request.outcome, 'dropped');
  const last = walk.request.hops.at(-1)!;
  assert.equal(last.ns, 'node2');
  assert.match(last.summary, /^node2 drops it in inet netpol deny: meta l4proto tcp reject with tcp reset comment "netpol: refuse TCP"$/);
  assert.equal(path(walk.reply!.hops), 'node2 node1 client');
  assert.equal(walk.reply!.hops[0]!.packet.flags, '0x14');
});

test('VXLAN: the outer packet is shown on the underlay (VNI, UDP 8472), and the inner one continues unchanged', () => {
  const walk = fixture('vxlan-icmp');
  assert.equal(path(walk.request.hops), 'pod-a node1 node2 pod-c');
  assert.equal(path(walk.request.hops, true), 'pod-a node1 node1 underlay node2 node2 pod-c');
  const outer = walk.request.hops.filter((h) => h.outer);
  assert.deepEqual(outer.map((h) => h.kind), ['encapsulated', 'bridged', 'decapsulated']);
  assert.match(outer[1]!.summary, /^underlay bridges the VXLAN packet \(VNI 1\) 192\.168\.0\.11:\d+ → 192\.168\.0\.12:8472 from port1 to port2$/);
  assert.deepEqual(walk.request.hops[1]!.rewrites.map((r) => r.kind), ['encap']);
  assert.equal(walk.request.hops.at(-1)!.packet.src, '10.244.1.2', 'no NAT: the pod keeps its address');
});

test('NAT64: tayga turns the IPv6 packet into IPv4 behind its TUN device, and the reply back', () => {
  const walk = fixture('nat64');
  assert.equal(path(walk.request.hops), 'pod6 node1 gw gw outside');
  const translate = walk.request.hops.flatMap((h) => h.rewrites).find((r) => r.kind === 'translate');
  assert.match(translate?.change ?? '', /^\[fd00:10:244:1::2\]:\d+ → \[2001:db8:64::cb00:710a\]:80 → 192\.168\.255\.\d+:\d+ → 203\.0\.113\.10:80, by the program behind nat64$/);
  assert.equal(walk.request.hops.at(-1)!.packet.family, 4);
  assert.equal(walk.reply!.hops.at(-1)!.packet.family, 6);
});

test('egress gateway: marked on node1, tunnelled, SNATed to the egress IP on node2; the reply comes back over the LAN', () => {
  const walk = fixture('egress-gateway');
  assert.equal(path(walk.request.hops), 'billing node1 node2 router outside');
  assert.ok(rules(walk).some((r) => /mark-selected: .*meta mark set 0x00000200/.test(r)));
  assert.equal(walk.request.hops.at(-1)!.packet.src, '192.168.0.100');
  assert.equal(path(walk.reply!.hops), 'outside router node2 router node1 billing');
});

test('checkWalk: path, rules, outcome and reply, each able to fail', () => {
  const walk = fixture('clusterip-iptables');
  assert.deepEqual(checkWalk(walk, { path: 'client1 node1 web-[ab]', rules: ['KUBE-SEP-\\w+: .*dnat to 10\\.244'], rewrites: [], outcome: 'delivered', reply: 'web-[ab] node1 client1' }), { passed: true });
  assert.match(checkWalk(walk, { path: 'client1 node2 web-c', rules: [], rewrites: [], outcome: 'delivered' }).reason ?? '', /^the request took client1 → node1 → web-b, not/);
  assert.match(checkWalk(walk, { path: 'client1 node1 web-b', rules: ['masquerade'], rewrites: [], outcome: 'delivered' }).reason ?? '', /^no rule the request met matches \/masquerade\//);
  assert.match(checkWalk(walk, { path: 'client1 node1 web-b', rules: [], rewrites: [], outcome: 'dropped' }).reason ?? '', /^the request was delivered, not dropped/);
  assert.match(checkWalk(walk, { path: 'client1 node1 web-b', rules: [], rewrites: [], outcome: 'delivered', reply: 'web-b client1' }).reason ?? '', /^the reply took web-b → node1 → client1/);
  // The same run with node1's DNAT gone from the trace (as if the rule had been deleted): no rewrite, no endpoint.
  const text = readFileSync('tests/fixtures/trace/clusterip-iptables.txt', 'utf8');
  const broken = walkFromStream('fixture', text.split('\n').filter((l) => !/^@@line (node1|web-[abc]|client1)\t/.test(l) || /^@@line client1\t.*lab-trace out/.test(l)).join('\n'));
  assert.equal(checkWalk(broken, { path: 'client1 node1 web-[ab]', rules: [], rewrites: [], outcome: 'delivered' }).passed, false);
});

test('live hops: a hop is handed out once it is complete and a later one exists, never half-reported', async () => {
  const { settledHops } = await import('../../../src/lab/trace/collector.ts');
  const walk = fixture('clusterip-iptables');
  const all = settledHops(walk, false);
  assert.deepEqual(all.map((d) => [d.direction, d.hops.length]), [['request', 3], ['reply', 3]], 'a finished walk: every hop');
  // node1's visit seen only up to its prerouting (its forward and postrouting lines not yet in).
  const partial = structuredClone(walk);
  delete partial.request.hops[1]!.out;
  partial.reply = undefined;
  assert.deepEqual(settledHops(partial, false).map((d) => d.hops.map((h) => h.ns)), [['client1']], 'node1 waits until its way out is known');
  assert.deepEqual(settledHops(partial, true).map((d) => d.hops.length), [3, 0], 'the final walk hands everything out');
});
