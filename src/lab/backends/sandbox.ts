import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LabError } from '../errors.ts';
import { labStateDir } from '../state.ts';
import { bashArgs } from '../process/bash.ts';
import type { Lab } from '../schema/lab.ts';
import type { Backend, BackendOpts, BackendStatus, PrerequisiteResult, SpawnSpec } from './types.ts';
import { labEnv, labPath } from './env.ts';
import { sandboxProcesses, startTime } from './sandbox-procs.ts';

/**
 * The sandbox backend: one long-lived "holder" process per lab, started by `unshare` in fresh
 * net + mount namespaces (plus a user namespace when the kernel allows it: rootless). Commands
 * enter it with `nsenter`; `host` is the holder's own namespace, any other target a netns made
 * inside it (`ip netns exec`). `down` kills every process in there, and the namespaces vanish.
 */

const HOLDER_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'sandbox-holder.sh');

interface HolderState {
  pid: number;
  /** /proc start time of the holder, so a reused pid is not mistaken for it. */
  startTime: string;
  /** true: user + net + mount namespaces (rootless); false: net + mount as root. */
  userns: boolean;
}

export type SandboxMode = 'rootless' | 'root' | 'unavailable';

let probed: { mode: SandboxMode; detail: string } | undefined;

/** Which kind of outer namespace this machine allows; probed once per process. */
export function sandboxMode(): { mode: SandboxMode; detail: string } {
  if (probed) return probed;
  const env = { ...process.env, PATH: labPath() } as Record<string, string>;
  // LAB_SANDBOX_NO_USERNS=1 forces the root path (tests use it to cover the fallback).
  const userns = process.env.LAB_SANDBOX_NO_USERNS === '1' ? { status: 1, stderr: 'disabled by LAB_SANDBOX_NO_USERNS=1', error: undefined } : spawnSync('unshare', ['--user', '--map-root-user', '--net', '--mount', 'true'], { env, encoding: 'utf8' });
  if (userns.status === 0) {
    probed = { mode: 'rootless', detail: 'user namespaces available: the lab runs rootless' };
  } else if (process.getuid?.() === 0) {
    const root = spawnSync('unshare', ['--net', '--mount', 'true'], { env, encoding: 'utf8' });
    probed =
      root.status === 0
        ? { mode: 'root', detail: `user namespaces refused (${(userns.stderr || userns.error?.message || '').trim()}): running as root in a private net + mount namespace instead` }
        : { mode: 'unavailable', detail: `unshare --net --mount failed: ${(root.stderr || root.error?.message || '').trim()}` };
  } else {
    probed = {
      mode: 'unavailable',
      detail: `unprivileged user namespaces are disabled (${(userns.stderr || userns.error?.message || '').trim()})`,
    };
  }
  return probed;
}

function stateFile(lab: Lab): string {
  return path.join(labStateDir(lab.id), 'sandbox.json');
}

function readState(lab: Lab): HolderState | undefined {
  try {
    return JSON.parse(readFileSync(stateFile(lab), 'utf8')) as HolderState;
  } catch {
    return undefined;
  }
}

function holderAlive(state: HolderState): boolean {
  return startTime(state.pid) === state.startTime;
}

function which(command: string): string | undefined {
  const result = spawnSync('bash', ['-c', `command -v -- "$1"`, 'which', command], {
    env: { ...process.env, PATH: labPath() } as Record<string, string>,
    encoding: 'utf8',
  });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

const TOOLS: { command: string; why: string; debian: string; fedora: string }[] = [
  { command: 'unshare', why: 'creates the lab’s private namespaces', debian: 'apt-get install util-linux', fedora: 'dnf install util-linux' },
  { command: 'nsenter', why: 'runs each step inside the lab', debian: 'apt-get install util-linux', fedora: 'dnf install util-linux' },
  { command: 'ip', why: 'makes namespaces, links and routes', debian: 'apt-get install iproute2', fedora: 'dnf install iproute' },
];

async function killAll(state: HolderState): Promise<number[]> {
  let left: number[] = [];
  // Dying processes may take a while to release their namespaces: allow a few seconds.
  for (let round = 0; round < 250; round++) {
    left = holderAlive(state) ? sandboxProcesses(state.pid, state.userns) : [];
    if (left.length === 0) return [];
    for (const pid of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return left;
}

export const sandboxBackend: Backend = {
  name: 'sandbox',

  async preflight(): Promise<PrerequisiteResult[]> {
    const results: PrerequisiteResult[] = [];
    if (process.platform !== 'linux') {
      return [
        {
          name: 'Linux',
          ok: false,
          why: 'the sandbox is made of Linux network namespaces',
          detail: `this is ${process.platform}`,
          install: { other: 'use a Linux VM, or run the kind labs instead' },
        },
      ];
    }
    for (const tool of TOOLS) {
      const found = which(tool.command);
      results.push({
        name: tool.command,
        ok: Boolean(found),
        why: tool.why,
        detail: found ?? 'not found on PATH',
        install: { debian: tool.debian, fedora: tool.fedora },
      });
    }
    if (results.every((r) => r.ok)) {
      const { mode, detail } = sandboxMode();
      results.push({
        name: 'namespaces',
        ok: mode !== 'unavailable',
        warning: mode === 'root',
        why: 'everything the lab builds lives in its own namespaces',
        detail,
        install: {
          debian: 'sudo sysctl -w kernel.unprivileged_userns_clone=1 (or run the lab as root)',
          other: 'enable unprivileged user namespaces, or run the lab as root',
        },
      });
    }
    return results;
  },

  async up(lab: Lab, opts: BackendOpts = {}): Promise<void> {
    const old = readState(lab);
    if (old) {
      opts.log?.(holderAlive(old) ? `replacing the running sandbox (holder pid ${old.pid})` : 'cleaning a stale sandbox state');
      await this.down(lab, opts);
    }
    const { mode, detail } = sandboxMode();
    if (mode === 'unavailable') throw new LabError(`cannot make the sandbox: ${detail}\nrun: npm run lab -- doctor ${lab.id}`);
    if (mode === 'root') opts.log?.(detail);
    const userns = mode === 'rootless';
    const args = [...(userns ? ['--user', '--map-root-user'] : []), '--net', '--mount', 'bash', HOLDER_SCRIPT];
    const child = spawn('unshare', args, {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PATH: labPath() } as Record<string, string>,
      cwd: '/',
    });
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
    if (!ready || !child.pid) {
      if (child.pid) process.kill(child.pid, 'SIGKILL');
      throw new LabError(`could not start the sandbox for ${lab.id}: ${stderr.trim() || 'the holder did not get ready'}`);
    }
    for (const line of stderr.trim().split('\n').filter(Boolean)) opts.log?.(line);
    const state: HolderState = { pid: child.pid, startTime: startTime(child.pid) ?? '', userns };
    writeFileSync(stateFile(lab), JSON.stringify(state));
  },

  async down(lab: Lab): Promise<void> {
    const state = readState(lab);
    if (!state) return;
    if (holderAlive(state)) {
      const left = await killAll(state);
      if (left.length > 0) {
        throw new LabError(`could not stop every process of the ${lab.id} sandbox; still running: ${left.join(', ')}\nremove them with: kill -9 ${left.join(' ')}`);
      }
    }
    rmSync(stateFile(lab), { force: true });
  },

  async status(lab: Lab): Promise<BackendStatus> {
    const state = readState(lab);
    if (!state) return { up: false, detail: 'not running' };
    if (!holderAlive(state)) return { up: false, stale: true, detail: `stale state: holder pid ${state.pid} is gone` };
    return { up: true, detail: `sandbox holder pid ${state.pid} (${state.userns ? 'rootless' : 'root'})` };
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
    return labStateDir(lab.id);
  },
};

function enter(lab: Lab, target: string, command: string[]): SpawnSpec {
  const state = readState(lab);
  if (!state || !holderAlive(state)) {
    throw new LabError(`lab ${lab.id} is not up${state ? ' (its sandbox is gone)' : ''}: run npm run lab -- up ${lab.id}`);
  }
  const ns = state.userns ? ['--user', '--preserve-credentials', '--mount', '--net'] : ['--mount', '--net'];
  const into = target === 'host' ? [] : ['ip', 'netns', 'exec', target];
  return {
    file: 'nsenter',
    args: [`--target=${state.pid}`, ...ns, `--wd=${lab.dir}`, ...into, ...command],
    env: labEnv(lab, { LAB_TARGET: target }),
    cwd: lab.dir,
  };
}
