/**
 * The trace parser on lines `nft monitor trace` printed in the sandbox labs (tests/fixtures/trace
 * holds whole runs): iptables-nft and native nftables rules, NAT, drops and verdicts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cleanRule, parsePacket, parseTraceLine } from '../../../src/lab/trace/nft-trace.ts';
import { tcpFlags } from '../../../src/lab/trace/walk.ts';

test('a packet line: hook, interfaces, addresses, ports, flags, IPv4 id', () => {
  const line = parseTraceLine(
    'trace id 90d0a8de ip filter FORWARD packet: iif "cni0" oif "cni0" ether saddr 02:42:0a:f4:01:04 ether daddr 02:42:0a:f4:01:02 ip saddr 10.244.1.4 ip daddr 10.244.1.2 ip dscp cs0 ip ecn not-ect ip ttl 64 ip id 2154 ip length 60 tcp sport 40123 tcp dport 8080 tcp flags == syn tcp window 64240 ',
  );
  assert.deepEqual(line, {
    id: '90d0a8de',
    family: 'ip',
    table: 'filter',
    chain: 'FORWARD',
    kind: 'packet',
    packet: { family: 4, src: '10.244.1.4', dst: '10.244.1.2', proto: 'tcp', iif: 'cni0', oif: 'cni0', ipId: 2154, sport: 40123, dport: 8080, flags: 'syn' },
  });
});

test('an iptables-nft rule: text without counters, and its verdict', () => {
  const line = parseTraceLine('trace id 90d0a8de ip nat KUBE-SEP-UIQK3OSOSTRHRPBX rule meta l4proto tcp   counter packets 0 bytes 0 dnat to 10.244.1.2:8080 (verdict accept)');
  assert.deepEqual(line, { id: '90d0a8de', family: 'ip', table: 'nat', chain: 'KUBE-SEP-UIQK3OSOSTRHRPBX', kind: 'rule', rule: 'meta l4proto tcp dnat to 10.244.1.2:8080', verdict: 'accept' });
  assert.equal(parseTraceLine('trace id 1 ip nat KUBE-SERVICES rule meta l4proto tcp ip daddr 10.96.0.10  tcp dport 80 counter packets 0 bytes 0 jump KUBE-SVC-CDGGSHYLG3RE2FKL (verdict jump KUBE-SVC-CDGGSHYLG3RE2FKL)')?.verdict, 'jump KUBE-SVC-CDGGSHYLG3RE2FKL');
  assert.equal(cleanRule('counter packets 12 bytes 840 meta mark set mark or 0x4000'), 'meta mark set mark or 0x4000');
});

test('a native nftables rule with a chain name holding slashes, a verdict map, and a drop', () => {
  const vmap = parseTraceLine('trace id 5 ip kube-proxy service-SUSTUHLJ-default/web/tcp/http rule numgen random mod 3 vmap { 0 : goto endpoint-A, 1 : goto endpoint-B } (verdict goto endpoint-B)');
  assert.equal(vmap?.chain, 'service-SUSTUHLJ-default/web/tcp/http');
  assert.equal(vmap?.verdict, 'goto endpoint-B');
  const drop = parseTraceLine('trace id 7 inet netpol deny rule meta l4proto tcp reject with tcp reset comment "netpol: refuse TCP" (verdict drop)');
  assert.equal(drop?.verdict, 'drop');
  assert.equal(drop?.rule, 'meta l4proto tcp reject with tcp reset comment "netpol: refuse TCP"');
  assert.deepEqual(parseTraceLine('trace id 7 ip filter FORWARD policy drop '), { id: '7', family: 'ip', table: 'filter', chain: 'FORWARD', kind: 'policy', verdict: 'drop' });
});

test('IPv6 and ICMP packets; non-IP frames and other lines', () => {
  assert.deepEqual(parsePacket('iif "eth0" ip6 saddr fd00:10:244:1::2 ip6 daddr 2001:db8:64::cb00:710a ip6 dscp cs0 ip6 ecn not-ect ip6 hoplimit 63 ip6 flowlabel 0 ip6 nexthdr tcp ip6 length 40 tcp sport 55820 tcp dport 80 tcp flags == syn'), {
    family: 6,
    src: 'fd00:10:244:1::2',
    dst: '2001:db8:64::cb00:710a',
    proto: 'tcp',
    iif: 'eth0',
    sport: 55820,
    dport: 80,
    flags: 'syn',
  });
  const icmp = parsePacket('oif "eth0" ip saddr 10.244.1.2 ip daddr 10.244.2.2 ip dscp cs0 ip ecn not-ect ip ttl 64 ip id 1 ip protocol icmp ip length 84 icmp type echo-request icmp code net-unreachable icmp id 4242 icmp sequence 1');
  assert.deepEqual([icmp?.proto, icmp?.flags, icmp?.icmpId], ['icmp', 'echo-request', 4242]);
  assert.equal(parsePacket('iif "eth0" ether saddr 02:00:00:00:00:01 arp operation request'), undefined);
  assert.equal(parseTraceLine('some other line'), undefined);
});

test('TCP flags as people write them', () => {
  assert.equal(tcpFlags('syn'), 'SYN');
  assert.equal(tcpFlags('0x12'), 'SYN-ACK');
  assert.equal(tcpFlags('0x14'), 'RST-ACK');
  assert.equal(tcpFlags('0x11'), 'FIN-ACK');
});
