import { performance } from 'node:perf_hooks';
import { randomInt } from 'node:crypto';
import type { Lab } from '../schema/lab.ts';
import { backendFor } from '../backends/index.ts';
import { LabError } from '../errors.ts';
import { runCommand } from '../process/run-command.ts';
import { locked } from '../runner/context.ts';
import { parseTraceLine } from './nft-trace.ts';
import { parseTopology, TOPOLOGY_SCRIPT, type Topology } from './topology.ts';
import { buildWalk, TRACE_TABLE, visitsOf, type ArrivedLine, type Probe, type Visit } from './walk.ts';
import type { Hop, Walk } from './types.ts';

/**
 * Runs a packet walk in a sandbox lab that is up, in one shell inside the lab:
 * 1. a tracing table in every network namespace: a chain at the first priority of prerouting and
 *    output sets the kernel's nftrace flag on packets of the probe's protocol (and ICMP, for
 *    errors); chains at the last priority of input, forward and postrouting show the headers a
 *    packet is delivered or leaves with. They only set a flag and accept: the lab's own rules
 *    decide everything, as they do without the trace;
 * 2. `nft monitor trace` in every namespace, each line tagged with its namespace;
 * 3. a sentinel datagram in every namespace until every monitor has shown it (they are ready);
 * 4. the probe (one TCP connection, one UDP datagram or one ping) from `--from`;
 * 5. a second sentinel round, so every line of the probe is in;
 * 6. the tables removed, whatever happened (the shell's EXIT trap; `lab down` removes the rest).
 * The walk is built from the lines as they arrive, so hops can be shown live.
 */

export interface TraceOptions {
  from: string;
  /** `address`, `address:port` or `[v6]:port`. */
  to: string;
  proto?: 'tcp' | 'udp' | 'icmp';
  signal?: AbortSignal;
  /** Each hop as soon as it is settled (live walks). */
  onHop?: (direction: 'request' | 'reply', hop: Hop, index: number) => void;
  /** Every raw trace line, tagged with its namespace (for fixtures and debugging). */
  onRawLine?: (ns: string, line: string) => void;
}

export function parseTarget(to: string, proto: 'tcp' | 'udp' | 'icmp'): { address: string; port?: number } {
  const bracketed = /^\[([0-9a-fA-F:.]+)\](?::(\d+))?$/.exec(to);
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3})(?::(\d+))?$/.exec(to);
  const bare6 = /^[0-9a-fA-F:.]+$/.test(to) && (to.match(/:/g)?.length ?? 0) >= 2 ? to : undefined;
  const address = bare6 ?? bracketed?.[1] ?? v4?.[1];
  const portText = bare6 ? undefined : (bracketed?.[2] ?? v4?.[2]);
  if (!address) throw new LabError(`--to ${to}: expected an address, address:port or [IPv6 address]:port`);
  const port = portText === undefined ? undefined : Number(portText);
  if (proto !== 'icmp' && port === undefined) throw new LabError(`--to ${to}: a ${proto} walk needs a port (address:port)`);
  if (port !== undefined && (port < 1 || port > 65535)) throw new LabError(`--to ${to}: port ${port} is out of range`);
  return { address, port };
}

const SENTINELS = { ready: 9, done: 7 } as const;

function tables(proto: string): string {
  const l4 = proto === 'icmp' ? 'icmp, ipv6-icmp' : `${proto}, icmp, ipv6-icmp`;
  const set = `meta l4proto { ${l4} } meta nftrace set 1; udp dport { ${SENTINELS.ready}, ${SENTINELS.done}, 4789, 8472 } meta nftrace set 1;`;
  return [
    `table inet ${TRACE_TABLE} {`,
    `  chain pre { type filter hook prerouting priority -350; policy accept; ${set} }`,
    `  chain out { type filter hook output priority -350; policy accept; ${set} }`,
    `  chain in-last { type filter hook input priority 350; policy accept; }`,
    `  chain fwd-last { type filter hook forward priority 350; policy accept; }`,
    `  chain post-last { type filter hook postrouting priority 350; policy accept; }`,
    `}`,
    `table bridge ${TRACE_TABLE} {`,
    `  chain pre { type filter hook prerouting priority -350; policy accept; ${set} }`,
    `  chain fwd-last { type filter hook forward priority 350; policy accept; }`,
    `  chain post-last { type filter hook postrouting priority 350; policy accept; }`,
    `}`,
  ].join('\n');
}

function probeCommand(proto: 'tcp' | 'udp' | 'icmp', address: string, port: number | undefined, id: number): string {
  const v6 = address.includes(':');
  const host = v6 ? `[${address}]` : address;
  if (proto === 'icmp') return `ping -${v6 ? 6 : 4} -c 1 -W 1 -e ${id} ${address}`;
  if (proto === 'tcp') return `timeout 3 socat -T1 -u TCP:${host}:${port},connect-timeout=1,sourceport=${id},reuseaddr - </dev/null`;
  return `echo walk | timeout 3 socat -T1 - UDP:${host}:${port},sourceport=${id},reuseaddr`;
}

const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** The whole trace as one script for the lab's outer namespace (see above). */
export function traceScript(from: string, proto: 'tcp' | 'udp' | 'icmp', probe: string): string {
  const remove = `add table inet ${TRACE_TABLE}; delete table inet ${TRACE_TABLE}; add table bridge ${TRACE_TABLE}; delete table bridge ${TRACE_TABLE}`;
  return `set -u
mapfile -t nss < <(ip netns list | awk '{print $1}')
${TOPOLOGY_SCRIPT}
from=${quote(from)}
found=
for ns in "\${nss[@]}"; do if [ "$ns" = "$from" ]; then found=1; fi; done
if [ -z "$found" ]; then echo "@@error --from $from: no such namespace in this lab; namespaces: \${nss[*]}"; exit 3; fi
dir=$(mktemp -d /run/lab-trace.XXXXXX)
cleanup() {
  for ns in "\${nss[@]}"; do ip netns exec "$ns" nft ${quote(remove)} 2>/dev/null; done
  pkill -P $$ 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
for ns in "\${nss[@]}"; do
  ip netns exec "$ns" nft ${quote(remove)} 2>/dev/null
  ip netns exec "$ns" nft -f - <<'NFT' || { echo "@@error could not add the tracing table in $ns"; exit 4; }
${tables(proto)}
NFT
done
for ns in "\${nss[@]}"; do (ip netns exec "$ns" nft monitor trace | tee "$dir/$ns" | sed -u "s/^/@@line $ns\\t/") & done
# Until every monitor has shown a datagram to the sentinel port, send one in each namespace left.
sentinel() {
  local port=$1 missing
  for _ in $(seq 300); do
    missing=()
    for ns in "\${nss[@]}"; do grep -q "udp dport $port " "$dir/$ns" 2>/dev/null || missing+=("$ns"); done
    if [ \${#missing[@]} -eq 0 ]; then return 0; fi
    for ns in "\${missing[@]}"; do ip netns exec "$ns" bash -c "echo > /dev/udp/127.0.0.1/$port" 2>/dev/null; done
    sleep 0.01
  done
  echo "@@error the trace monitors did not answer in: \${missing[*]}"
  exit 5
}
sentinel ${SENTINELS.ready}
echo "@@probe"
ip netns exec "$from" bash -c ${quote(probe)} >/dev/null 2>&1
echo "@@probe-done $?"
sentinel ${SENTINELS.done}
echo "@@end"
`;
}

interface Collected {
  topology: string[];
  lines: Map<string, ArrivedLine[]>;
  probing: boolean;
  ended: boolean;
  error?: string;
}

/** Runs one walk. The lab must be up; takes the lab's lock for the duration. */
export async function trace(lab: Lab, opts: TraceOptions): Promise<Walk> {
  if (lab.backend !== 'sandbox') throw new LabError(`lab ${lab.id} is a ${lab.backend} lab: packet walks run in sandbox labs`);
  const proto = opts.proto ?? 'tcp';
  const target = parseTarget(opts.to, proto);
  const backend = backendFor(lab);
  return locked(lab, 'trace', async () => {
    const status = await backend.status(lab);
    if (!status.up) throw new LabError(`lab ${lab.id} is not up: run npm run lab -- up ${lab.id}`);
    const started = performance.now();
    const id = proto === 'icmp' ? randomInt(1, 65535) : randomInt(20000, 60000);
    const probe: Probe = { from: opts.from, proto, port: id, to: target.address };
    const state: Collected = { topology: [], lines: new Map(), probing: false, ended: false };
    let seq = 0;
    let buffer = '';
    let topology: Topology | undefined;
    let probeAt: number | undefined;
    let firstHopMs: number | undefined;
    const emitted = { request: 0, reply: 0 };
    const walkNow = (): Walk => {
      topology ??= parseTopology(state.topology);
      const byNs = new Map<string, Visit[]>();
      for (const [ns, lines] of state.lines) byNs.set(ns, visitsOf(ns, lines));
      return buildWalk(lab.id, probe, byNs, topology);
    };
    /** Hands out the hops that can no longer change: all but the last, or all once it is final. */
    const emitSettled = (final: boolean): void => {
      if (!opts.onHop) return;
      const walk = walkNow();
      for (const direction of ['request', 'reply'] as const) {
        const hops = walk[direction]?.hops ?? [];
        const done = final || hops.at(-1)?.kind === 'delivered' || hops.at(-1)?.kind === 'dropped';
        const upTo = done ? hops.length : hops.length - 1;
        for (; emitted[direction] < upTo; emitted[direction]++) {
          firstHopMs ??= probeAt !== undefined ? Math.round(performance.now() - probeAt) : undefined;
          opts.onHop(direction, hops[emitted[direction]]!, emitted[direction]);
        }
        if (direction === 'request' && !done) break;
      }
    };
    const result = await runCommand(backend.commandFor(lab, 'host', traceScript(opts.from, proto, probeCommand(proto, target.address, target.port, id))), {
      timeoutMs: 30_000,
      signal: opts.signal,
      maxBuffer: 64 * 1024,
      onOutput: (stream, data) => {
        if (stream !== 'stdout') return;
        buffer += data;
        let nl: number;
        let fresh = false;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const raw = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          if (raw.startsWith('@@line ')) {
            const tab = raw.indexOf('\t');
            const ns = raw.slice(7, tab);
            opts.onRawLine?.(ns, raw.slice(tab + 1));
            const line = parseTraceLine(raw.slice(tab + 1));
            if (!line || !state.probing) continue;
            // Sentinels and what they provoke (ICMP port unreachable on lo) are not the probe.
            if (line.packet && (line.packet.src === '127.0.0.1' || line.packet.src === '::1')) continue;
            const list = state.lines.get(ns) ?? [];
            state.lines.set(ns, list);
            if (list.length < 20_000) list.push({ ...line, seq: seq++ });
            fresh = true;
          } else if (raw.startsWith('@@topology ')) state.topology.push(raw);
          else if (raw === '@@probe') {
            state.probing = true;
            probeAt = performance.now();
          } else if (raw === '@@end') state.ended = true;
          else if (raw.startsWith('@@error ')) state.error = raw.slice(8);
        }
        if (fresh) emitSettled(false);
      },
    });
    if (state.error) throw new LabError(`trace: ${state.error}`);
    if (result.canceled) throw new LabError('trace: canceled');
    if (!state.ended) throw new LabError(`trace: the tracing shell did not finish (${result.message ?? `exit status ${result.exitCode}`}): ${result.stderr.trim().split('\n').slice(-3).join(' ')}`);
    const walk = walkNow();
    await addRoutes(lab, walk);
    emitSettled(true);
    walk.timing = { firstHopMs, doneMs: Math.round(performance.now() - started) };
    return walk;
  });
}

/** The routing decision at each hop that routed the packet (`ip route get`, as the kernel answers it). */
async function addRoutes(lab: Lab, walk: Walk): Promise<void> {
  const hops = [...walk.request.hops, ...(walk.reply?.hops ?? [])].filter((h) => (h.kind === 'forwarded' || h.kind === 'sent') && h.out);
  if (hops.length === 0) return;
  const commands = hops.map((h) => {
    const dst = (h.after ?? h.packet).dst;
    const from = h.kind === 'forwarded' && h.in ? ` from ${h.packet.src} iif ${h.in}` : '';
    return `echo @@; ip -n ${quote(h.ns)} route get ${dst}${from} 2>&1 | head -1`;
  });
  const result = await runCommand(backendFor(lab).commandFor(lab, 'host', commands.join('\n')), { timeoutMs: 10_000 });
  const answers = result.stdout.split('@@\n').slice(1);
  hops.forEach((h, i) => {
    const answer = answers[i]?.replace(/\s+/g, ' ').trim();
    if (answer && !/^(Error|RTNETLINK)/.test(answer)) h.route = answer;
  });
}
