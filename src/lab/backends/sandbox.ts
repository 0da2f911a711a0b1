import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LabError } from '../errors.ts';
import { labStateDir, readJson } from '../state.ts';
import { bashArgs } from '../process/bash.ts';
import { faultPoint } from '../fault.ts';
import type { Lab } from '../schema/lab.ts';
import type { Backend, BackendOpts, BackendStatus, PrerequisiteResult, SpawnSpec } from './types.ts';
import { labEnv } from './env.ts';
import { labPath } from '../host/which.ts';
import { sandboxSupport } from '../host/userns.ts';
import { systemTools } from '../host/tools.ts';
import { allPids, commandName, environHas, hostNamespaces, labNetns, nsId, startTime } from './sandbox-procs.ts';

/**
 * The sandbox backend: one long-lived "holder" process per lab, started by `unshare` in fresh
 * net + mount namespaces (plus a user namespace when the kernel allows it: rootless). Commands
 * enter it with `nsenter`; `host` is the holder's own namespace, any other target a netns made
 * inside it (`ip netns exec`). `down` kills every process in there, and the namespaces vanish.
 *
 * Every process the lab starts carries the lab's random token in its environment, and the holder
 * records itself (pid, start time, namespace ids, token) before doing anything else, so `down`
 * finds the whole sandbox even when the holder or the engine died, and never acts on a state file
 * it cannot verify: it kills only processes that carry the token or live in the lab's own
 * namespaces, and never one in this machine's own network namespace.
 */

const HOLDER_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'sandbox-holder.sh');
export const TOKEN_VARIABLE = 'K8S_NET_LAB_TOKEN';

/** What the holder records about itself (sandbox.json). */
interface HolderState {
  pid: number;
  /** /proc start time of the holder, so a reused pid is not mistaken for it. */
  startTime: string;
  /** true: user + net + mount namespaces (rootless); false: net + mount as root. */
  userns: boolean;
  /** Namespace ids of the holder, e.g. `net:[4026532281]`. */
  user: string;
  net: string;
  mnt: string;
  /** Random per sandbox; in the environment of every process the lab starts. */
  token: string;
}

function stateFile(lab: Lab): string {
  return path.join(labStateDir(lab), 'sandbox.json');
}

function readState(lab: Lab): HolderState | undefined {
  const data = readJson<Partial<HolderState>>(stateFile(lab));
  if (!data || typeof data.pid !== 'number' || typeof data.token !== 'string' || !/^[0-9a-f]{32}$/.test(data.token)) return undefined;
  return data as HolderState;
}

/** Why the recorded holder cannot be trusted (gone, reused pid, foreign namespaces), or undefined if it is ours. */
function holderProblem(state: HolderState): string | undefined {
  const host = hostNamespaces();
  if (startTime(state.pid) === undefined) return `holder pid ${state.pid} is gone`;
  if (startTime(state.pid) !== state.startTime) return `pid ${state.pid} is another process now (its start time differs)`;
  const net = nsId(state.pid, 'net');
  if (!net || net !== state.net) return `pid ${state.pid} is not in the recorded network namespace`;
  if (host.net.has(net)) return `pid ${state.pid} lives in this machine's own network namespace: it is no sandbox`;
  if (state.userns && nsId(state.pid, 'user') !== state.user) return `pid ${state.pid} is not in the recorded user namespace`;
  if (!environHas(state.pid, `${TOKEN_VARIABLE}=${state.token}`)) return `pid ${state.pid} does not carry this lab's token`;
  return undefined;
}

/** One process, as the sweep sees it. */
interface Seen {
  pid: number;
  net?: string;
  mnt?: string;
  user?: string;
  token: boolean;
}

/**
 * Every process of the sandbox: those carrying its token, and those in its user namespace
 * (rootless), its mount or outer network namespace, or a network namespace made inside it; never
 * one in this machine's own network namespace, whatever the state file says.
 *
 * The kernel reuses a namespace's inode number as soon as the namespace is freed, so a number
 * from the state file (or from an earlier round of the sweep) may already name another lab's
 * namespace. A namespace counts as ours only while a process in it carries our token: two living
 * namespaces never share a number.
 */
function labProcesses(state: HolderState, labNets: Iterable<string>): number[] {
  const host = hostNamespaces();
  const token = `${TOKEN_VARIABLE}=${state.token}`;
  const seen: Seen[] = allPids().map((pid) => ({ pid, net: nsId(pid, 'net'), mnt: nsId(pid, 'mnt'), user: nsId(pid, 'user'), token: environHas(pid, token) }));
  // The holder carries the token too (it is verified by it), so the token vouches for everything.
  const ours = (kind: 'net' | 'mnt' | 'user', id: string | undefined): boolean => id !== undefined && !host[kind].has(id) && seen.some((p) => p[kind] === id && p.token);
  const user = state.userns && ours('user', state.user) ? state.user : undefined;
  const mnt = ours('mnt', state.mnt) ? state.mnt : undefined;
  const nets = new Set([...labNets, state.net].filter((id) => ours('net', id)));
  return seen
    .filter((p) => p.net !== undefined && !host.net.has(p.net))
    .filter((p) => p.token || (user !== undefined && p.user === user) || (mnt !== undefined && p.mnt === mnt) || nets.has(p.net!))
    .map((p) => p.pid);
}

/** The network namespaces made inside a trusted holder (none when it cannot be trusted). */
function holderNetns(state: HolderState, trusted: boolean): Map<string, string> {
  return trusted ? labNetns(state.pid) : new Map();
}

async function killAll(state: HolderState, labNets: Set<string>): Promise<{ names: string[]; left: number[] }> {
  const killed = new Set<number>();
  const names: string[] = [];
  let left: number[] = [];
  // Dying processes may take a while to release their namespaces: allow a few seconds.
  for (let round = 0; round < 250; round++) {
    left = labProcesses(state, labNets);
    if (left.length === 0) break;
    for (const pid of left) {
      if (!killed.has(pid) && pid !== state.pid) names.push(commandName(pid));
      killed.add(pid);
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { names, left };
}

function countNames(names: string[]): string {
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts].map(([name, n]) => (n > 1 ? `${name} ×${n}` : name)).join(', ');
}

export const sandboxBackend: Backend = {
  name: 'sandbox',

  async preflight(): Promise<PrerequisiteResult[]> {
    if (process.platform !== 'linux') {
      const support = sandboxSupport();
      return [{ name: 'Linux', ok: false, why: 'the sandbox is made of Linux network namespaces', detail: support.detail, install: support.fix }];
    }
    const results = systemTools(['unshare', 'nsenter', 'setsid', 'ip', 'sysctl', 'timeout']);
    if (results.every((r) => r.ok)) {
      const { mode, detail, fix } = sandboxSupport();
      results.push({
        name: 'namespaces',
        ok: mode !== 'unavailable',
        warning: mode === 'root',
        why: 'everything the lab builds lives in its own namespaces',
        detail,
        install: fix,
      });
    }
    return results;
  },

  async up(lab: Lab, opts: BackendOpts = {}): Promise<void> {
    if (readState(lab)) {
      opts.log?.('removing the previous sandbox first');
      for (const line of await this.down(lab, opts)) opts.log?.(`  ${line}`);
    }
    const { mode, detail } = sandboxSupport();
    if (mode === 'unavailable') throw new LabError(`cannot make the sandbox: ${detail}\nrun: npm run lab -- doctor ${lab.id}`);
    if (mode === 'root') opts.log?.(detail);
    const userns = mode === 'rootless';
    const file = stateFile(lab);
    const token = randomBytes(16).toString('hex');
    const args = [...(userns ? ['--user', '--map-root-user'] : []), '--net', '--mount', 'bash', HOLDER_SCRIPT];
    const child = spawn('unshare', args, {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PATH: labPath(), LAB_STATE_FILE: file, LAB_USERNS: String(userns), [TOKEN_VARIABLE]: token } as Record<string, string>,
      cwd: '/',
    });
    faultPoint('sandbox-holder-started');
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const ready = await new Promise<boolean>((resolve) => {
      let out = '';
      const timer = setTimeout(() => resolve(false), 10_000);
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('ready\n')) {
          clearTimeout(timer);
          resolve(true);
        }
      });
      child.once('exit', () => {
        clearTimeout(timer);
        resolve(false);
      });
      child.once('error', (error) => {
        stderr += error.message;
        clearTimeout(timer);
        resolve(false);
      });
    });
    child.stdout.destroy();
    child.stderr.destroy();
    child.unref();
    const state = readState(lab);
    if (!ready || !child.pid || !state || state.pid !== child.pid || state.token !== token) {
      if (child.pid) {
        try {
          process.kill(child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      if (state) await this.down(lab, opts);
      throw new LabError(`could not start the sandbox for ${lab.id}: ${stderr.trim() || 'the holder did not get ready'}`);
    }
    faultPoint('sandbox-state-written');
    for (const line of stderr.trim().split('\n').filter(Boolean)) opts.log?.(line);
  },

  async down(lab: Lab): Promise<string[]> {
    const state = readState(lab);
    if (!state) {
      rmSync(stateFile(lab), { force: true });
      return [];
    }
    const problem = holderProblem(state);
    const removed: string[] = [];
    const nets = holderNetns(state, !problem);
    const netns = [...nets.keys()].sort();
    if (problem && startTime(state.pid) !== undefined && startTime(state.pid) === state.startTime) {
      removed.push(`not touched: the state file names pid ${state.pid} (${commandName(state.pid)}), but ${problem.replace(/^pid \d+ /, 'it ')}`);
    }
    const { names, left } = await killAll(state, new Set(nets.values()));
    if (left.length > 0) {
      throw new LabError(`could not stop every process of the ${lab.id} sandbox; still running: ${left.join(', ')}\nremove them with: kill -9 ${left.join(' ')}`);
    }
    rmSync(stateFile(lab), { force: true });
    if (!problem) removed.push(`the sandbox (holder pid ${state.pid}, ${state.userns ? 'rootless' : 'root'})`);
    else if (names.length > 0) removed.push(`what was left of the sandbox (its holder had died: ${problem})`);
    if (netns.length > 0) removed.push(`${netns.length} network namespace${netns.length === 1 ? '' : 's'}: ${netns.join(', ')}`);
    if (names.length > 0) removed.push(`${names.length} process${names.length === 1 ? '' : 'es'} in it: ${countNames(names)}`);
    return removed;
  },

  async status(lab: Lab): Promise<BackendStatus> {
    const state = readState(lab);
    if (!state) return { up: false, detail: 'not running' };
    const problem = holderProblem(state);
    if (problem) return { up: false, stale: true, detail: `stale state: ${problem}` };
    const netns = labNetns(state.pid).size;
    return { up: true, detail: `sandbox holder pid ${state.pid} (${state.userns ? 'rootless' : 'root'}), ${netns} network namespace${netns === 1 ? '' : 's'}` };
  },

  isLabProcess(lab: Lab, pid: number): boolean {
    const state = readState(lab);
    return state !== undefined && labProcesses(state, holderNetns(state, !holderProblem(state)).values()).includes(pid);
  },

  commandFor(lab: Lab, target: string, cmd: string): SpawnSpec {
    return enter(lab, target, ['bash', ...bashArgs(cmd)]);
  },

  shellFor(lab: Lab, target: string): SpawnSpec {
    const spec = enter(lab, target, ['bash', '--noprofile', '--norc', '-i']);
    spec.env.PS1 = `[${lab.id} ${target}] \\w\\$ `;
    return spec;
  },

  stateDir(lab: Lab): string {
    return labStateDir(lab);
  },
};

function enter(lab: Lab, target: string, command: string[]): SpawnSpec {
  const state = readState(lab);
  const problem = state ? holderProblem(state) : undefined;
  if (!state || problem) {
    throw new LabError(`lab ${lab.id} is not up${state ? ` (${problem})` : ''}: run npm run lab -- up ${lab.id}`);
  }
  const ns = state.userns ? ['--user', '--preserve-credentials', '--mount', '--net'] : ['--mount', '--net'];
  const into = target === 'host' ? [] : ['ip', 'netns', 'exec', target];
  return {
    file: 'nsenter',
    args: [`--target=${state.pid}`, ...ns, `--wd=${lab.dir}`, ...into, ...command],
    env: labEnv(lab, { LAB_TARGET: target, [TOKEN_VARIABLE]: state.token }),
    cwd: lab.dir,
  };
}
