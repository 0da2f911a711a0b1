import { performance } from 'node:perf_hooks';
import { randomInt } from 'node:crypto';
import type { Lab } from '../schema/lab.ts';
import { backendFor } from '../backends/index.ts';
import { LabError } from '../errors.ts';
import { runCommand } from '../process/run-command.ts';
import { locked } from '../runner/context.ts';
import { TOPOLOGY_SCRIPT, type Topology } from './topology.ts';
import { TRACE_TABLE } from './walk.ts';
import { settledHops, WalkCollector } from './collector.ts';
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
export function traceScript(from: string, proto: 'tcp' | 'udp' | 'icmp', probe: string, describe: string): string {
  const remove = `add table inet ${TRACE_TABLE}; delete table inet ${TRACE_TABLE}; add table bridge ${TRACE_TABLE}; delete table bridge ${TRACE_TABLE}`;
  // Lab commands run under `bash -e`: a probe that fails (a dropped packet) must not end the walk.
  return `set +e -u
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
echo "@@probe ${describe}"
ip netns exec "$from" bash -c ${quote(probe)} >/dev/null 2>&1
echo "@@probe-done $?"
sentinel ${SENTINELS.done}
echo "@@end"
`;
}

/** Runs one walk. The lab must be up; takes the lab's lock for the duration. */
export function trace(lab: Lab, opts: TraceOptions): Promise<{ walk: Walk; raw: string; topology: Topology }> {
  return locked(lab, 'trace', () => traceUnlocked(lab, opts));
}

/** Runs one walk inside an operation that already holds the lab's lock (prove). */
export async function traceUnlocked(lab: Lab, opts: TraceOptions): Promise<{ walk: Walk; raw: string; topology: Topology }> {
  if (lab.backend !== 'sandbox') throw new LabError(`lab ${lab.id} is a ${lab.backend} lab: packet walks run in sandbox labs`);
  const proto = opts.proto ?? 'tcp';
  const target = parseTarget(opts.to, proto);
  const backend = backendFor(lab);
  {
    const status = await backend.status(lab);
    if (!status.up) throw new LabError(`lab ${lab.id} is not up: run npm run lab -- up ${lab.id}`);
    const started = performance.now();
    const id = proto === 'icmp' ? randomInt(1, 65535) : randomInt(20000, 60000);
    const collector = new WalkCollector(lab.id);
    const emitted = { request: 0, reply: 0 };
    let probeAt: number | undefined;
    let firstHopMs: number | undefined;
    const emitSettled = (final: boolean): void => {
      for (const { direction, hops } of settledHops(collector.walk(), final)) {
        for (; emitted[direction] < hops.length; emitted[direction]++) {
          firstHopMs ??= probeAt !== undefined ? Math.round(performance.now() - probeAt) : undefined;
          opts.onHop?.(direction, hops[emitted[direction]]!, emitted[direction]);
        }
      }
    };
    const script = traceScript(opts.from, proto, probeCommand(proto, target.address, target.port, id), `${proto} ${id} ${opts.from} ${target.address}`);
    const result = await runCommand(backend.commandFor(lab, 'host', script), {
      timeoutMs: 30_000,
      signal: opts.signal,
      maxBuffer: 64 * 1024,
      onOutput: (stream, data) => {
        if (stream !== 'stdout') return;
        const hadProbe = collector.probe !== undefined;
        const fresh = collector.push(data);
        if (!hadProbe && collector.probe) probeAt = performance.now();
        if (fresh) emitSettled(false);
      },
    });
    if (collector.error) throw new LabError(`trace: ${collector.error}`);
    if (result.canceled) throw new LabError('trace: canceled');
    if (!collector.ended) throw new LabError(`trace: the tracing shell did not finish (${result.message ?? `exit status ${result.exitCode}`}): ${result.stderr.trim().split('\n').slice(-3).join(' ')}`);
    const walk = collector.walk();
    await addRoutes(lab, walk);
    emitSettled(true);
    walk.timing = { firstHopMs, doneMs: Math.round(performance.now() - started) };
    return { walk, raw: `${collector.raw.join('\n')}\n`, topology: collector.topology() };
  }
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
