/**
 * A walk's `expect` on walks built from real sandbox runs (tests/fixtures/trace/*.txt): the
 * rewrites of the request and of the reply (DNAT, masquerade, conntrack's un-DNAT, VXLAN
 * encapsulation, NAT64 translation) and the reply's rules are checked, and a walk that lacks one
 * fails with a reason that names it, even when its path is the expected one.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { walkFromStream } from '../../../src/lab/trace/collector.ts';
import { checkWalk, rewritesOf } from '../../../src/lab/trace/expect.ts';
import type { Walk } from '../../../src/lab/trace/types.ts';
import { walkExpectSchema } from '../../../src/lab/schema/walk.ts';

const text = (name: string) => readFileSync(`tests/fixtures/trace/${name}.txt`, 'utf8');
const fixture = (name: string): Walk => walkFromStream('fixture', text(name));
const expect = (value: unknown) => walkExpectSchema.parse(value);

/** A copy of the walk with the rewrites of one kind taken out of one direction. */
function without(walk: Walk, direction: 'request' | 'reply', kind: string): Walk {
  const copy = structuredClone(walk);
  for (const hop of copy[direction]!.hops) hop.rewrites = hop.rewrites.filter((r) => r.kind !== kind);
  return copy;
}

test('rewrites are matched as `<namespace> <kind>: <change>`', () => {
  assert.deepEqual(rewritesOf(fixture('clusterip-iptables').request), ['node1 dnat: destination 10.96.0.10:80 → 10.244.1.3:8080']);
  assert.deepEqual(rewritesOf(fixture('clusterip-iptables').reply!), ['node1 un-nat: source 10.244.1.3:8080 → 10.96.0.10:80']);
});

test('ClusterIP: the DNAT of the request and the un-DNAT of the reply are checked; either missing fails', () => {
  const walk = fixture('clusterip-iptables');
  const want = expect({
    path: 'client1 node1 web-[ab]',
    rewrites: ['node1 dnat: destination 10\\.96\\.0\\.10:80 → 10\\.244\\.1\\.[23]:8080'],
    reply: { path: 'web-[ab] node1 client1', rules: ['KUBE-FORWARD: ct state related,established accept'], rewrites: ['node1 un-nat: source 10\\.244\\.1\\.[23]:8080 → 10\\.96\\.0\\.10:80'] },
  });
  assert.deepEqual(checkWalk(walk, want), { passed: true });
  assert.match(checkWalk(without(walk, 'request', 'dnat'), want).reason ?? '', /^no rewrite of the request matches \/node1 dnat: .*\/ \(none seen\)$/);
  assert.match(checkWalk(without(walk, 'reply', 'un-nat'), want).reason ?? '', /^no rewrite of the reply matches \/node1 un-nat: .*\/ \(none seen\)$/);
  // The path-only expectation the walk had before cannot tell.
  assert.equal(checkWalk(without(walk, 'reply', 'un-nat'), expect({ path: want.path, reply: 'web-[ab] node1 client1' })).passed, true);
});

test("the reply's rules are checked: a reply that met no conntrack rule fails", () => {
  const walk = fixture('clusterip-iptables');
  const want = expect({ path: 'client1 node1 web-[ab]', reply: { path: 'web-[ab] node1 client1', rules: ['KUBE-FORWARD: ct state related,established accept'] } });
  assert.equal(checkWalk(walk, want).passed, true);
  const bare = structuredClone(walk);
  for (const hop of bare.reply!.hops) hop.rules = [];
  assert.match(checkWalk(bare, want).reason ?? '', /^no rule the reply met matches \/KUBE-FORWARD: /);
});

test('a rewrite of the wrong address fails and names what was seen', () => {
  const walk = fixture('nodeport-masquerade');
  const want = expect({ path: 'outside lan node1 web-a', rewrites: ['node1 masquerade: source 192\\.168\\.0\\.100:\\d+ → 192\\.168\\.0\\.11:\\d+'] });
  const reason = checkWalk(walk, want).reason ?? '';
  assert.match(reason, /^no rewrite of the request matches /);
  assert.match(reason, /seen: node1 dnat: destination 192\.168\.0\.11:30080 → 10\.244\.1\.2:8080; node1 masquerade: source 192\.168\.0\.100:\d+ → 10\.244\.1\.1:\d+\)$/);
});

test('VXLAN: the encapsulation is checked on the outer packet seen; without it the path alone still passes, the rewrite fails', () => {
  const want = expect({
    path: 'pod-a node1 node2 pod-c',
    rewrites: ['node1 encap: into the tunnel device flannel\\.1 as VXLAN \\(VNI 1\\) 192\\.168\\.0\\.11:\\d+ → 192\\.168\\.0\\.12:8472', 'node2 decap: .*from VXLAN \\(VNI 1\\) 192\\.168\\.0\\.11:\\d+ → 192\\.168\\.0\\.12:8472'],
    reply: { path: 'pod-c node2 node1 pod-a', rewrites: ['node2 encap: .*VXLAN \\(VNI 1\\) 192\\.168\\.0\\.12:\\d+ → 192\\.168\\.0\\.11:8472'] },
  });
  assert.deepEqual(checkWalk(fixture('vxlan-icmp'), want), { passed: true });
  // The same run with every outer (UDP 8472) packet taken out of the trace, as if no VXLAN packet
  // had crossed the underlay: the inner packet still reappears on node2, the encapsulation is gone.
  const lines = text('vxlan-icmp').split('\n');
  const outerIds = new Set(lines.filter((l) => /udp dport 8472/.test(l)).map((l) => /^@@line (\S+)\ttrace id (\w+)/.exec(l)?.slice(1).join(' ')));
  const noOuter = walkFromStream('fixture', lines.filter((l) => !outerIds.has(/^@@line (\S+)\ttrace id (\w+)/.exec(l)?.slice(1).join(' '))).join('\n'));
  assert.equal(checkWalk(noOuter, expect({ path: want.path })).passed, true, 'the path alone does not see it');
  assert.match(checkWalk(noOuter, want).reason ?? '', /^no rewrite of the request matches \/node1 encap: .*\(seen: node1 encap: into the tunnel device flannel\.1; node2 decap: out of the tunnel device flannel\.1\)$/);
});

test('NAT64: the translation both ways is checked; a walk without it fails', () => {
  const walk = fixture('nat64');
  const want = expect({
    path: 'pod6 node1 gw gw outside',
    rewrites: ['gw translate: \\[fd00:10:244:1::2\\]:\\d+ → \\[2001:db8:64::cb00:710a\\]:80 → 192\\.168\\.255\\.\\d+:\\d+ → 203\\.0\\.113\\.10:80', 'gw masquerade: source 192\\.168\\.255\\.\\d+:\\d+ → 203\\.0\\.113\\.1:\\d+'],
    reply: { path: 'outside gw gw node1 pod6', rewrites: ['gw translate: 203\\.0\\.113\\.10:80 → 192\\.168\\.255\\.\\d+:\\d+ → \\[2001:db8:64::cb00:710a\\]:80 → \\[fd00:10:244:1::2\\]:\\d+'] },
  });
  assert.deepEqual(checkWalk(walk, want), { passed: true });
  assert.match(checkWalk(without(walk, 'request', 'translate'), want).reason ?? '', /^no rewrite of the request matches \/gw translate: /);
  assert.match(checkWalk(without(walk, 'reply', 'translate'), want).reason ?? '', /^no rewrite of the reply matches \/gw translate: /);
});

test('the expectation schema: reply as a path or as { path, rules, rewrites }; rewrites must be regular expressions', () => {
  assert.deepEqual(expect({ path: 'a b', reply: 'b a' }), { path: 'a b', rules: [], rewrites: [], outcome: 'delivered', reply: 'b a' });
  assert.deepEqual(expect({ path: 'a b', reply: { path: 'b a', rewrites: ['x'] } }).reply, { path: 'b a', rules: [], rewrites: ['x'] });
  assert.equal(walkExpectSchema.safeParse({ path: 'a', rewrites: ['node1 dnat: ('] }).success, false);
  assert.equal(walkExpectSchema.safeParse({ path: 'a', reply: { rules: [] } }).success, false, 'a reply object needs its path');
  assert.equal(walkExpectSchema.safeParse({ path: 'a', reply: { path: 'a', rewrite: [] } }).success, false, 'unknown keys are refused');
});

test("every committed walk recording shows what its lab's expect says (re-record with npm run lab:record -- <lab> --walks)", async () => {
  const { loadAllLabs } = await import('../../../src/lab/index.ts');
  const walks = (await loadAllLabs()).flatMap((lab) => lab.walks.map((walk) => ({ lab, walk })));
  assert.ok(walks.length > 0);
  for (const { lab, walk } of walks) {
    const recorded = JSON.parse(readFileSync(`${lab.dir}/walks/${walk.id}.json`, 'utf8')) as Walk;
    assert.deepEqual(checkWalk(recorded, walk.expect), { passed: true }, `${lab.id}/${walk.id}`);
  }
});
