import { performance } from 'node:perf_hooks';
import { randomInt } from 'node:crypto';
import type { Lab } from '../schema/lab.ts';
import { backendFor } from '../backends/index.ts';
import { LabError } from '../errors.ts';
import { runCommand } from '../process/run-command.ts';
import type { CommandResult } from '../process/types.ts';
import { TOPOLOGY_SCRIPT, parseTopology, type Topology } from './topology.ts';
import { TRACE_TABLE } from './walk.ts';
import { settledHops, WalkCollector } from './collector.ts';
import type { Hop, Walk } from './types.ts';

/**
 * A trace session keeps a sandbox lab ready for packet walks:
 * - armed once: a tracing table in every network namespace (chains at the first priority of
 *   prerouting and output set the kernel's nftrace flag on packets of the walk's protocols, and
 *   chains at the last priority of input, forward and postrouting show the headers a packet is
 *   delivered or leaves with; they set a flag and accept, so the lab's own rules decide
 *   everything), `nft monitor trace` in each namespace, and a sentinel datagram in each until
 *   every monitor has shown it;
 * - then each walk is one probe plus a closing sentinel round (every line of the probe is in
 *   once the monitors show it), so the first hop is known a few tens of milliseconds after the
 *   probe leaves;
 * - closed: the monitors stopped and the tables removed.
 * A one-shot `trace` opens, walks once and closes; the lab server keeps a session open while a
 * page may ask for live walks.
 */

export interface WalkRequest {
  from: string;
  /** `address`, `address:port` or `[v6]:port`. */
  to: string;
  proto: 'tcp' | 'udp' | 'icmp';
  signal?: AbortSignal;
  /** Each hop as soon as it is settled (live walks). */
  onHop?: (direction: 'request' | 'reply', hop: Hop, index: number) => void;
}

const SENTINELS = { ready: 9, done: 7 } as const;
const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

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

function tables(): string {
  const set = `meta l4proto { tcp, udp, icmp, ipv6-icmp } meta nftrace set 1;`;
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

const REMOVE = `add table inet ${TRACE_TABLE}; delete table inet ${TRACE_TABLE}; add table bridge ${TRACE_TABLE}; delete table bridge ${TRACE_TABLE}`;

/** The shell that arms the lab and then streams every monitor's lines until it is stopped. */
export function armScript(): string {
  // Lab commands run under `bash -e`: nothing here may end the shell early.
  return `set +e -u
mapfile -t nss < <(ip netns list | awk '{print $1}')
${TOPOLOGY_SCRIPT}
remove() { for ns in "\${nss[@]}"; do ip netns exec "$ns" nft ${quote(REMOVE)} 2>/dev/null; done; }
trap 'remove; pkill -P $$ 2>/dev/null' EXIT
remove
for ns in "\${nss[@]}"; do
  ip netns exec "$ns" nft -f - <<'NFT' || { echo "@@error could not add the tracing table in $ns"; exit 4; }
${tables()}
NFT
done
for ns in "\${nss[@]}"; do (ip netns exec "$ns" nft monitor trace | sed -u "s/^/@@line $ns\\t/") & done
echo "@@armed \${nss[*]}"
wait
`;
}

function probeCommand(proto: 'tcp' | 'udp' | 'icmp', address: string, port: number | undefined, id: number): string {
  const v6 = address.includes(':');
  const host = v6 ? `[${address}]` : address;
  // A probe that fails (a dropped packet, a refused connection) is still a walk: never fail here.
  if (proto === 'icmp') return `ping -${v6 ? 6 : 4} -c 1 -W 1 -e ${id} ${address} >/dev/null 2>&1 || true`;
  if (proto === 'tcp') return `timeout 3 socat -T1 -u TCP:${host}:${port},connect-timeout=1,sourceport=${id},reuseaddr - </dev/null >/dev/null 2>&1 || true`;
  return `echo walk | timeout 3 socat -T1 - UDP:${host}:${port},sourceport=${id},reuseaddr >/dev/null 2>&1 || true`;
}

export class TraceSession {
  readonly lab: Lab;
  readonly namespaces: string[];
  readonly topology: Topology;
  readonly #stop: AbortController;
  readonly #armed: Promise<CommandResult>;
  #listener: ((line: string) => void) | undefined;
  #sentinels: { port: number; seen: Set<string> } | undefined;
  #closed = false;
  #ended = false;
  /** The raw lines of the walk in progress (`@@`-prefixed), for fixtures. */
  #raw: string[] = [];

  private constructor(lab: Lab, namespaces: string[], topology: Topology, stop: AbortController, armed: Promise<CommandResult>) {
    this.lab = lab;
    this.namespaces = namespaces;
    this.topology = topology;
    this.#stop = stop;
    this.#armed = armed;
  }

  /** Arms the lab (it must be up). Throws a LabError when it cannot. */
  static async open(lab: Lab, signal?: AbortSignal): Promise<TraceSession> {
    if (lab.backend !== 'sandbox') throw new LabError(`lab ${lab.id} is a ${lab.backend} lab: packet walks run in sandbox labs`);
    const backend = backendFor(lab);
    if (!(await backend.status(lab)).up) throw new LabError(`lab ${lab.id} is not up: run npm run lab -- up ${lab.id}`);
    const stop = new AbortController();
    const topologyLines: string[] = [];
    let armedLine: string | undefined;
    let error: string | undefined;
    let session: TraceSession | undefined;
    let buffer = '';
    let onArmed: () => void = () => {};
    const armedSeen = new Promise<void>((resolve) => (onArmed = resolve));
    const onLine = (line: string): void => {
      if (line.startsWith('@@line ')) {
        if (session) session.#read(line);
      }
      else if (line.startsWith('@@topology ')) topologyLines.push(line);
      else if (line.startsWith('@@armed')) {
        armedLine = line;
        onArmed();
      } else if (line.startsWith('@@error ')) error = line.slice(8);
    };
    const armed = runCommand(backend.commandFor(lab, 'host', armScript()), {
      signal: stop.signal,
      maxBuffer: 64 * 1024,
      onOutput: (stream, data) => {
        if (stream !== 'stdout') return;
        buffer += data;
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          onLine(line);
        }
      },
    });
    const ended = armed.then(() => undefined);
    await Promise.race([armedSeen, ended]);
    if (!armedLine) {
      const result = await armed;
      throw new LabError(`trace: could not arm lab ${lab.id}: ${error ?? (result.stderr.trim().split('\n').at(-1) || result.message || `exit status ${result.exitCode}`)}`);
    }
    const namespaces = armedLine.split(' ').slice(1).filter(Boolean);
    session = new TraceSession(lab, namespaces, parseTopology(topologyLines), stop, armed);
    const armedSession = session;
    void armed.then(() => armedSession.#markEnded());
    try {
      await session.#sentinel(SENTINELS.ready, signal);
    } catch (err) {
      await session.close();
      throw err;
    }
    return session;
  }

  #markEnded(): void {
    this.#ended = true;
  }

  #read(line: string): void {
    const tab = line.indexOf('\t');
    const ns = line.slice(7, tab);
    const wait = this.#sentinels;
    if (wait && line.includes(`udp dport ${wait.port} `) && line.includes('127.0.0.1')) {
      wait.seen.add(ns);
      return;
    }
    this.#listener?.(line);
  }

  /** Sends a sentinel datagram in every namespace until every monitor has shown one. */
  async #sentinel(port: number, signal?: AbortSignal): Promise<void> {
    const seen = new Set<string>();
    this.#sentinels = { port, seen };
    const backend = backendFor(this.lab);
    try {
      for (let round = 0; seen.size < this.namespaces.length; round++) {
        if (round >= 100 || signal?.aborted || this.#closed) {
          throw new LabError(`trace: the trace monitors did not answer in ${this.namespaces.filter((n) => !seen.has(n)).join(', ')}`);
        }
        const missing = this.namespaces.filter((n) => !seen.has(n)).map(quote).join(' ');
        await runCommand(backend.commandFor(this.lab, 'host', `for ns in ${missing}; do ip netns exec "$ns" bash -c 'echo > /dev/udp/127.0.0.1/${port}' 2>/dev/null; done; true`), { timeoutMs: 10_000, signal });
        const until = performance.now() + 100;
        while (seen.size < this.namespaces.length && performance.now() < until) await new Promise((r) => setTimeout(r, 5));
      }
    } finally {
      this.#sentinels = undefined;
    }
  }

  /** One walk: the probe, then a sentinel round; hops are handed out as soon as they are settled. */
  async walk(request: WalkRequest): Promise<{ walk: Walk; raw: string }> {
    if (this.#closed) throw new LabError('trace: the session is closed');
    if (!this.namespaces.includes(request.from)) {
      throw new LabError(`--from ${request.from}: no such namespace in lab ${this.lab.id}; namespaces: ${this.namespaces.join(', ')}`);
    }
    const target = parseTarget(request.to, request.proto);
    const started = performance.now();
    const id = request.proto === 'icmp' ? randomInt(1, 65535) : randomInt(20000, 60000);
    const collector = new WalkCollector(this.lab.id);
    const probeLine = `@@probe ${request.proto} ${id} ${request.from} ${target.address}`;
    collector.setTopology(this.topology);
    collector.push(`${probeLine}\n`);
    const raw: string[] = [probeLine];
    const emitted = { request: 0, reply: 0 };
    let firstHopMs: number | undefined;
    const emit = (final: boolean): void => {
      for (const { direction, hops } of settledHops(collector.walk(), final)) {
        for (; emitted[direction] < hops.length; emitted[direction]++) {
          firstHopMs ??= Math.round(performance.now() - started);
          request.onHop?.(direction, hops[emitted[direction]]!, emitted[direction]);
        }
      }
    };
    this.#listener = (line) => {
      raw.push(line);
      if (collector.push(`${line}\n`)) emit(false);
    };
    try {
      await runCommand(backendFor(this.lab).commandFor(this.lab, request.from, probeCommand(request.proto, target.address, target.port, id)), { timeoutMs: 10_000, signal: request.signal });
      await this.#sentinel(SENTINELS.done, request.signal);
    } finally {
      this.#listener = undefined;
    }
    if (request.signal?.aborted) throw new LabError('trace: canceled');
    const walk = collector.walk();
    await addRoutes(this.lab, walk);
    emit(true);
    walk.timing = { firstHopMs, doneMs: Math.round(performance.now() - started) };
    const topology = this.topology.namespaces.map((ns) => `@@topology-json ${JSON.stringify(ns)}`);
    return { walk, raw: `${[...topology, ...raw, '@@end'].join('\n')}\n` };
  }

  /** Still armed: not closed, and its monitors still run (a `lab down` from elsewhere ends them). */
  get alive(): boolean {
    return !this.#closed && !this.#ended;
  }

  /** Stops the monitors and removes the tracing tables. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#stop.abort();
    await this.#armed;
    // The shell's EXIT trap removes the tables; a killed shell may not have run it.
    const remove = `for ns in ${this.namespaces.map(quote).join(' ')}; do ip netns exec "$ns" nft ${quote(REMOVE)} 2>/dev/null; done; true`;
    await runCommand(backendFor(this.lab).commandFor(this.lab, 'host', remove), { timeoutMs: 10_000 }).catch(() => undefined);
  }
}

/** The routing decision at each hop that routed the packet (`ip route get`, as the kernel answers it). */
async function addRoutes(lab: Lab, walk: Walk): Promise<void> {
  const lost = (d: Walk['request'] | undefined) => (d && d.outcome === 'lost' ? d.hops.slice(-1) : []);
  const hops = [...[...walk.request.hops, ...(walk.reply?.hops ?? [])].filter((h) => (h.kind === 'forwarded' || h.kind === 'sent') && h.out), ...lost(walk.request), ...lost(walk.reply)];
  if (hops.length === 0) return;
  const commands = [...new Set(hops)].map((h) => {
    const dst = (h.after ?? h.packet).dst;
    const from = h.kind === 'forwarded' && h.in ? ` from ${h.packet.src} iif ${h.in}` : '';
    return `echo @@; ip -n ${quote(h.ns)} route get ${dst}${from} 2>&1 | head -1`;
  });
  const result = await runCommand(backendFor(lab).commandFor(lab, 'host', `${commands.join('\n')}\ntrue`), { timeoutMs: 10_000 });
  const answers = result.stdout.split('@@\n').slice(1);
  [...new Set(hops)].forEach((h, i) => {
    const answer = answers[i]?.replace(/\s+/g, ' ').trim();
    if (answer) h.route = answer;
  });
}
