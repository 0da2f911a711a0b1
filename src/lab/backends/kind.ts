import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LabError } from '../errors.ts';
import { displayPath } from '../paths.ts';
import { bashArgs } from '../process/bash.ts';
import { runCommand } from '../process/run-command.ts';
import type { CommandResult } from '../process/types.ts';
import type { Lab } from '../schema/lab.ts';
import { labStateDir } from '../state.ts';
import { loadVersions, lookupVersion } from '../versions.ts';
import { labEnv } from './env.ts';
import { faultPoint } from '../fault.ts';
import { findExecutable } from '../host/which.ts';
import { startTime } from './sandbox-procs.ts';
import { terminateGroup } from '../process/kill-group.ts';
import { installHints } from './kind/install-hints.ts';
import { compareVersions, findVersion } from './kind/semver.ts';
import { KUBECONFIG_FILE, clearKindState, readKindState, writeKindState, type KindState } from './kind/state.ts';
import type { Backend, BackendOpts, BackendStatus, InstallHints, PrerequisiteResult, SpawnSpec } from './types.ts';

/**
 * The kind backend: one real cluster per lab, named after the lab id, on the reader's Docker or
 * Podman. Every command (kind's own and the lab's) gets KUBECONFIG pointing at a per-lab file in
 * the state dir, so the reader's default kubeconfig and context are never read or changed.
 * The node image always comes from labs/versions.yaml (`kind.node.image`, pinned by digest).
 */

type Provider = 'docker' | 'podman';

/** kind waits this long for the control plane to be ready. */
const CREATE_WAIT = '180s';
/** Wall-clock limit for `kind create cluster` (image pull included). */
const CREATE_TIMEOUT_MS = 15 * 60_000;
const TOOL_TIMEOUT_MS = 30_000;

interface Pins {
  kindVersion: string;
  kindMinimum: string;
  kubectlMinimum: string;
  helmMinimum: string;
  nodeImage: string;
}

async function pins(lab: Lab): Promise<Pins> {
  const labsDir = path.dirname(lab.dir);
  const versions = await loadVersions(labsDir);
  const get = (key: string): string => {
    const value = lookupVersion(versions, key);
    if (value === undefined) {
      throw new LabError(`${displayPath(path.join(labsDir, 'versions.yaml'))}: ${key}: missing; the kind backend needs it (see labs/README.md)`);
    }
    return value;
  };
  return {
    kindVersion: get('kind.version'),
    kindMinimum: get('kind.minimum'),
    kubectlMinimum: get('kubectl.minimum'),
    helmMinimum: get('helm.minimum'),
    nodeImage: get('kind.node.image'),
  };
}

function kubeconfigPath(lab: Lab): string {
  return path.join(labStateDir(lab), KUBECONFIG_FILE);
}

/** The environment of every command: the lab's, with the per-lab kubeconfig and cluster name. */
function kindEnv(lab: Lab, provider?: Provider): Record<string, string> {
  const extra: Record<string, string> = { KUBECONFIG: kubeconfigPath(lab), KIND_CLUSTER_NAME: lab.id };
  if (provider === 'podman') extra.KIND_EXPERIMENTAL_PROVIDER = 'podman';
  return labEnv(lab, extra);
}

function run(lab: Lab, file: string, args: string[], opts: BackendOpts & { timeoutMs?: number; provider?: Provider } = {}): Promise<CommandResult> {
  return runCommand(
    { file, args, env: kindEnv(lab, opts.provider), cwd: lab.dir },
    { timeoutMs: opts.timeoutMs ?? TOOL_TIMEOUT_MS, signal: opts.signal },
  );
}

const ok = (r: CommandResult): boolean => r.exitCode === 0 && !r.message;
const firstLine = (r: CommandResult): string =>
  r.message ?? ((r.stderr.trim() || r.stdout.trim()).split('\n').find(Boolean) ?? `exit status ${r.exitCode}`);

/**
 * Docker unless it is unreachable and Podman is reachable; `KIND_EXPERIMENTAL_PROVIDER` wins.
 * Tells a missing CLI ("install it") from a CLI whose daemon or machine is not running ("start it").
 */
async function detectProvider(lab: Lab, opts: BackendOpts): Promise<{ provider?: Provider; detail: string; installed: Provider[] }> {
  const wanted = process.env.KIND_EXPERIMENTAL_PROVIDER;
  const order: Provider[] = wanted === 'podman' ? ['podman'] : wanted === 'docker' ? ['docker'] : ['docker', 'podman'];
  const problems: string[] = [];
  const installed: Provider[] = [];
  for (const provider of order) {
    if (!findExecutable(provider)) {
      problems.push(`${provider}: not installed`);
      continue;
    }
    installed.push(provider);
    const result = await run(lab, provider, ['info'], opts);
    if (ok(result)) return { provider, detail: `${provider} info: reachable`, installed };
    problems.push(`${provider} is installed but its ${provider === 'docker' ? 'daemon' : 'service or machine'} is not reachable (${firstLine(result)})`);
  }
  return { detail: problems.join('; '), installed };
}

/** How to start a container engine whose CLI is installed but whose daemon is not running. */
function startHints(installed: Provider[]): InstallHints {
  const docker = installed.includes('docker');
  return {
    debian: docker
      ? 'start it: sudo systemctl start docker; if it runs, let your user reach it: sudo usermod -aG docker "$USER" (log in again)'
      : 'start it: systemctl --user start podman.socket (rootless) or sudo systemctl start podman.socket',
    fedora: docker ? 'start it: sudo systemctl start docker' : 'start it: systemctl --user start podman.socket',
    macos: docker ? 'start Docker Desktop (or: colima start)' : 'podman machine init (once), then: podman machine start',
    other: 'Windows/WSL2: start Docker Desktop and enable its WSL2 integration for this distribution',
  };
}

function providerOf(lab: Lab): Provider {
  const state = readKindState(labStateDir(lab));
  if (state) return state.provider;
  return process.env.KIND_EXPERIMENTAL_PROVIDER === 'podman' ? 'podman' : 'docker';
}

/** Labs that install charts need Helm; we look for the word in their commands. */
function needsHelm(lab: Lab): boolean {
  const commands = [
    ...lab.setup.map((c) => c.run),
    ...lab.teardown.map((c) => c.run),
    ...lab.steps.flatMap((s) => [s.run, ...(s.type === 'exercise' ? [s.solution.run] : [])]),
  ];
  const scripts = commands.flatMap((c) => [...c.matchAll(/(?:^|\s)(\.\/[\w./-]+\.sh)\b/g)].map((m) => m[1] as string));
  const texts = [...commands, ...scripts.map((s) => readText(path.join(lab.dir, s)))];
  return texts.some((text) => /(^|[\s;&|(])helm\s/m.test(text));
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

async function toolCheck(
  lab: Lab,
  opts: BackendOpts,
  spec: { name: 'kind' | 'kubectl' | 'helm'; args: string[]; minimum: string; why: string; kindVersion: string },
): Promise<PrerequisiteResult> {
  const result = findExecutable(spec.name) ? await run(lab, spec.name, spec.args, opts) : undefined;
  const base = { name: `${spec.name} >= ${spec.minimum}`, why: spec.why, install: installHints(spec.name, spec.kindVersion) };
  if (!result || !ok(result)) return { ...base, ok: false, detail: result ? firstLine(result) : 'not found on PATH' };
  const text = `${result.stdout}\n${result.stderr}`;
  const version = spec.name === 'kubectl' ? kubectlVersion(text) : findVersion(text);
  if (!version) return { ...base, ok: false, detail: `could not read a version from: ${text.trim().split('\n')[0]}` };
  const good = compareVersions(version, spec.minimum) >= 0;
  return { ...base, ok: good, detail: good ? `version ${version}` : `version ${version} is older than ${spec.minimum}: upgrade it` };
}

/** `kubectl version --client -o json` prints clientVersion.gitVersion; older ones print text. */
function kubectlVersion(text: string): string | undefined {
  const json = /"gitVersion"\s*:\s*"([^"]+)"/.exec(text);
  return findVersion(json?.[1] ?? text);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function configFile(lab: Lab): string {
  if (!lab.cluster) throw new LabError(`${lab.file}: cluster: expected a cluster config for a kind lab, received nothing`);
  return path.resolve(lab.dir, lab.cluster.config);
}

async function clusterNames(lab: Lab, opts: BackendOpts, provider: Provider): Promise<string[]> {
  const result = await run(lab, 'kind', ['get', 'clusters'], { ...opts, provider });
  if (!ok(result)) throw new LabError(`kind get clusters failed: ${firstLine(result)}\ncheck your setup with: npm run lab -- doctor ${lab.id}`);
  return result.stdout.split('\n').map((line) => line.trim()).filter(Boolean);
}

function collisionMessage(lab: Lab, dir: string): string {
  return [
    `a kind cluster named "${lab.id}" already exists, but this lab did not create it (no ${path.join(dir, 'kind.json')}).`,
    'The lab will not reuse or delete a cluster it does not own.',
    `If it is a leftover you no longer need, delete it (and everything in it) with: kind delete cluster --name ${lab.id}`,
    `then run: npm run lab -- up ${lab.id}`,
  ].join('\n');
}

export const kindBackend: Backend = {
  name: 'kind',

  async preflight(lab: Lab, opts: BackendOpts = {}): Promise<PrerequisiteResult[]> {
    const pinned = await pins(lab);
    const results: PrerequisiteResult[] = [];
    const runtime = await detectProvider(lab, opts);
    results.push({
      name: 'docker or podman',
      ok: Boolean(runtime.provider),
      why: 'kind runs each Kubernetes node as a container',
      detail: runtime.provider ? runtime.detail : runtime.detail,
      install: runtime.installed.length > 0 ? startHints(runtime.installed) : installHints('docker', pinned.kindVersion),
    });
    results.push(
      await toolCheck(lab, opts, {
        name: 'kind',
        args: ['version'],
        minimum: pinned.kindMinimum,
        why: `creates the lab's cluster from the pinned node image (kind ${pinned.kindVersion})`,
        kindVersion: pinned.kindVersion,
      }),
    );
    results.push(
      await toolCheck(lab, opts, {
        name: 'kubectl',
        args: ['version', '--client', '-o', 'json'],
        minimum: pinned.kubectlMinimum,
        why: 'the steps talk to the cluster with it',
        kindVersion: pinned.kindVersion,
      }),
    );
    if (needsHelm(lab)) {
      results.push(
        await toolCheck(lab, opts, {
          name: 'helm',
          args: ['version', '--short'],
          minimum: pinned.helmMinimum,
          why: 'the lab installs a chart',
          kindVersion: pinned.kindVersion,
        }),
      );
    }
    return results;
  },

  async up(lab: Lab, opts: BackendOpts = {}): Promise<void> {
    const pinned = await pins(lab);
    const config = configFile(lab);
    if (!existsSync(config)) throw new LabError(`${lab.file}: cluster.config: ${displayPath(config)} does not exist`);
    const configSha256 = sha256(readFileSync(config, 'utf8'));
    const dir = labStateDir(lab);
    let state = readKindState(dir);
    const runtime = await detectProvider(lab, opts);
    if (!runtime.provider) {
      throw new LabError(`no container runtime for kind: ${runtime.detail}\nstart Docker or Podman, then check with: npm run lab -- doctor ${lab.id}`);
    }
    const provider = state?.provider ?? runtime.provider;
    if (state?.creating) {
      // An earlier `up` was killed while kind was creating the cluster: remove what it left.
      opts.log?.(`an earlier cluster creation for "${lab.id}" did not finish: removing what it left`);
      for (const line of await this.down(lab, opts)) opts.log?.(`  ${line}`);
      state = undefined;
    }
    const existing = (await clusterNames(lab, opts, provider)).includes(lab.id);

    if (existing && !state) throw new LabError(collisionMessage(lab, dir));
    if (existing && state) {
      if (state.nodeImage !== pinned.nodeImage || state.configSha256 !== configSha256) {
        const what = state.nodeImage !== pinned.nodeImage ? `node image ${state.nodeImage} (now pinned: ${pinned.nodeImage})` : `an older ${displayPath(config)}`;
        throw new LabError(
          `the cluster "${lab.id}" was created by this lab with ${what}.\nrecreate it with: npm run lab -- down ${lab.id} && npm run lab -- up ${lab.id}`,
        );
      }
      opts.log?.(`reusing kind cluster "${lab.id}" (created ${state.created})`);
      // Refresh the per-lab kubeconfig (the API server port changes when Docker restarts).
      const exported = await run(lab, 'kind', ['export', 'kubeconfig', '--name', lab.id, '--kubeconfig', kubeconfigPath(lab)], { ...opts, provider });
      if (!ok(exported)) throw new LabError(`kind export kubeconfig failed for "${lab.id}": ${firstLine(exported)}`);
      return;
    }
    if (state) {
      opts.log?.(`cluster "${lab.id}" is gone: cleaning its stale state`);
      clearKindState(dir);
    }

    opts.log?.(`creating kind cluster "${lab.id}" with ${pinned.nodeImage} (${provider}); the first time pulls the node image`);
    // Recorded before kind starts, with kind's own pid once known: if this process is killed during
    // the creation, the next `down` (or `up`) knows there is a cluster to delete and a kind to stop.
    const record: KindState = { cluster: lab.id, nodeImage: pinned.nodeImage, configSha256, provider, created: new Date().toISOString(), creating: true };
    writeKindState(dir, record);
    const created = await runCommand(
      {
        file: 'kind',
        args: ['create', 'cluster', '--name', lab.id, '--config', config, '--image', pinned.nodeImage, '--kubeconfig', kubeconfigPath(lab), '--wait', CREATE_WAIT],
        env: kindEnv(lab, provider),
        cwd: lab.dir,
      },
      {
        timeoutMs: CREATE_TIMEOUT_MS,
        signal: opts.signal,
        onSpawn: (pid) => {
          writeKindState(dir, { ...record, createPid: pid, createStartTime: startTime(pid) });
          faultPoint('kind-creating');
        },
      },
    );
    if (!ok(created)) {
      // kind removes a half-made cluster itself; a canceled or timed-out run may leave one behind.
      const left = (await clusterNames(lab, {}, provider).catch((): string[] => [])).includes(lab.id);
      if (left) await run(lab, 'kind', ['delete', 'cluster', '--name', lab.id, '--kubeconfig', kubeconfigPath(lab)], { provider, timeoutMs: 5 * 60_000 });
      const still = left && (await clusterNames(lab, {}, provider).catch((): string[] => [lab.id])).includes(lab.id);
      if (!still) clearKindState(dir);
      const tail = (created.stderr.trim() || created.stdout.trim()).split('\n').slice(-8).join('\n');
      throw new LabError(
        [
          `kind create cluster failed for "${lab.id}": ${created.message ?? `exit status ${created.exitCode}`}`,
          tail,
          still ? `a partial cluster is left: remove it with: npm run lab -- down ${lab.id}` : left ? 'the partial cluster was deleted' : 'nothing was left behind',
        ]
          .filter(Boolean)
          .join('\n'),
      );
    }
    writeKindState(dir, { ...record, creating: undefined });
  },

  async down(lab: Lab, opts: BackendOpts = {}): Promise<string[]> {
    const dir = labStateDir(lab);
    const state = readKindState(dir);
    if (!state) {
      // Never delete a cluster this lab did not create, even if it carries the lab's name.
      clearKindState(dir);
      return [];
    }
    const removed: string[] = [];
    if (state.creating && state.createPid && state.createStartTime && startTime(state.createPid) === state.createStartTime) {
      // The `kind create` of an interrupted `up` is still running: stop it before deleting.
      await terminateGroup(state.createPid, 5000);
      removed.push(`the interrupted kind create (pid ${state.createPid})`);
    }
    const existed = (await clusterNames(lab, opts, state.provider).catch((): string[] => [lab.id])).includes(lab.id);
    const deleted = await run(lab, 'kind', ['delete', 'cluster', '--name', lab.id, '--kubeconfig', kubeconfigPath(lab)], {
      ...opts,
      provider: state.provider,
      timeoutMs: 5 * 60_000,
    });
    if (!ok(deleted)) {
      throw new LabError(`kind delete cluster failed for "${lab.id}": ${firstLine(deleted)}\nremove it by hand with: kind delete cluster --name ${lab.id}`);
    }
    clearKindState(dir);
    if (existed) removed.push(`kind cluster "${lab.id}"${state.creating ? ' (its creation had been interrupted)' : ''} and its kubeconfig`);
    return removed;
  },

  async status(lab: Lab): Promise<BackendStatus> {
    const state = readKindState(labStateDir(lab));
    const provider = state?.provider ?? providerOf(lab);
    let names: string[];
    try {
      names = await clusterNames(lab, {}, provider);
    } catch (error) {
      return { up: false, detail: (error as Error).message.split('\n')[0] ?? 'kind is not usable' };
    }
    const exists = names.includes(lab.id);
    if (!state) return { up: false, detail: exists ? `a cluster named "${lab.id}" exists but was not created by this lab` : 'no cluster' };
    if (state.creating) return { up: false, stale: true, detail: `the creation of cluster "${lab.id}" did not finish: npm run lab -- down ${lab.id} removes what it left` };
    if (!exists) return { up: false, stale: true, detail: `stale state: cluster "${lab.id}" is gone` };
    const nodes = await run(lab, 'kind', ['get', 'nodes', '--name', lab.id], { provider });
    const count = ok(nodes) ? nodes.stdout.split('\n').filter((l) => l.trim()).length : 0;
    return { up: true, detail: `kind cluster "${lab.id}"${count ? ` (${count} node${count === 1 ? '' : 's'})` : ''}, ${state.nodeImage.split('@')[0]}` };
  },

  commandFor(lab: Lab, target: string, cmd: string): SpawnSpec {
    const env = kindEnv(lab, providerOf(lab));
    if (target === 'host') return { file: 'bash', args: bashArgs(cmd), env: { ...env, LAB_TARGET: target }, cwd: lab.dir };
    return { file: providerOf(lab), args: ['exec', '--workdir', '/', nodeName(lab, target), 'bash', ...bashArgs(cmd)], env: { ...env, LAB_TARGET: target }, cwd: lab.dir };
  },

  shellFor(lab: Lab, target: string): SpawnSpec {
    const env = kindEnv(lab, providerOf(lab));
    if (target === 'host') {
      return { file: 'bash', args: ['--noprofile', '--norc', '-i'], env: { ...env, LAB_TARGET: target, PS1: `[${lab.id}] \\w\\$ ` }, cwd: lab.dir };
    }
    return { file: providerOf(lab), args: ['exec', '-it', nodeName(lab, target), 'bash', '-i'], env: { ...env, LAB_TARGET: target }, cwd: lab.dir };
  },

  stateDir(lab: Lab): string {
    return labStateDir(lab);
  },
};

/**
 * A node target: the container name (`kindnet-basics-worker`) or the part after the cluster name
 * (`worker`, `worker2`, `control-plane`).
 */
export function nodeName(lab: Lab, target: string): string {
  return target.startsWith(`${lab.id}-`) ? target : `${lab.id}-${target}`;
}

export default kindBackend;
