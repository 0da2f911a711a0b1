/**
 * Teardown that cannot be fooled or escaped: the engine is SIGKILLed at each phase of `up` (as a
 * crash or `kill -9` would), and during a kind cluster creation (with stand-in binaries); each
 * time the next `down` removes everything. A closed stdout (`run --json | head`) and Ctrl-C tear
 * the lab down too.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, copyFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { down, labStateDir, loadLab, status, type Lab } from '../../../src/lab/index.ts';
import { liveProcesses, processesWith, processesWithArgs } from '../../support/procs.ts';
import { rootNamespaceSnapshot } from '../../support/root-namespace.ts';

const stateDir = mkdtempSync(path.join(os.tmpdir(), 'lab-state-faults-'));
process.env.K8S_NET_LABS_STATE = stateDir;
const engineLabs = 'tests/fixtures/lab-engine/labs';
const node = process.execPath;
let rootBefore: Record<string, string>;
before(() => (rootBefore = rootNamespaceSnapshot()));
after(() => rmSync(stateDir, { recursive: true, force: true }));

/** Runs the CLI until it exits (here: until it kills itself at the fault point). */
function cliUntilExit(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(node, ['src/cli/main.ts', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code, signal) => resolve({ code, signal, output }));
  });
}

/** Processes carrying the lab's token (every process a sandbox starts does). */
function tokenHolders(token: string): number[] {
  return liveProcesses()
    .filter((p) => {
      try {
        return readFileSync(`/proc/${p.pid}/environ`, 'utf8').split('\0').includes(`K8S_NET_LAB_TOKEN=${token}`);
      } catch {
        return false;
      }
    })
    .map((p) => p.pid);
}

async function poll(fn: () => boolean, ms = 5000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (fn()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return fn();
}

async function killedAt(lab: Lab, point: string): Promise<void> {
  const result = await cliUntilExit(['up', lab.id, '--labs-dir', path.dirname(lab.dir)], { K8S_NET_LABS_FAULT: point });
  assert.equal(result.signal, 'SIGKILL', `the engine should have died at ${point}: ${result.output}`);
  const file = path.join(labStateDir(lab), 'sandbox.json');
  // The holder records itself on its own, even when its engine is already dead.
  assert.ok(await poll(() => existsSync(file)), `no sandbox record after a kill at ${point}`);
  const { token } = JSON.parse(readFileSync(file, 'utf8')) as { token: string };
  const result2 = await down(lab);
  assert.equal(result2.ok, true, JSON.stringify(result2));
  assert.ok(await poll(() => tokenHolders(token).length === 0, 3000), `processes left after down (killed at ${point}): ${tokenHolders(token).join(', ')}`);
  assert.deepEqual(processesWith('lab-engine-fixture-marker'), [], `the lab's marker process survived (killed at ${point})`);
  assert.deepEqual(processesWithArgs('--listen-address=10.53.0.1'), [], `the lab's daemon survived (killed at ${point})`);
  assert.equal((await status(lab)).up, false);
  assert.equal(existsSync(file), false, 'down removed the record');
}

for (const point of ['sandbox-holder-started', 'sandbox-state-written', 'setup-running']) {
  test(`SIGKILL at ${point}: the next down removes everything`, async () => {
    await killedAt(await loadLab('two-nodes', { labsDir: engineLabs }), point);
    assert.deepEqual(rootNamespaceSnapshot(), rootBefore);
  });
}

test('SIGKILL right after a daemon started: the next down stops it and removes everything', async () => {
  await killedAt(await loadLab('with-daemon', { labsDir: engineLabs }), 'daemon-started');
  assert.deepEqual(rootNamespaceSnapshot(), rootBefore);
});

test('stdout closed under a pipe (run --json | head -1): the run is canceled and the lab torn down', async () => {
  const lab = await loadLab('two-nodes', { labsDir: engineLabs });
  const piped = spawnSync('bash', ['-c', `set -o pipefail; "${node}" src/cli/main.ts run two-nodes --labs-dir ${engineLabs} --json | head -1; echo "cli=\${PIPESTATUS[0]}"`], { encoding: 'utf8', env: process.env });
  assert.match(piped.stdout, /^\{"type":"phase"/, 'head got the first event');
  assert.match(piped.stdout, /cli=130/, `the CLI exits as canceled: ${piped.stdout}${piped.stderr}`);
  assert.match(piped.stderr, /stdout was closed: stopping the running command, then tearing down/);
  assert.equal((await status(lab)).up, false);
  assert.deepEqual(processesWith('lab-engine-fixture-marker'), []);
  assert.deepEqual(rootNamespaceSnapshot(), rootBefore);
});

test('Ctrl-C during a run with a daemon: the daemon and the lab are gone', async () => {
  const lab = await loadLab('with-daemon', { labsDir: engineLabs });
  const child = spawn(node, ['src/cli/main.ts', 'run', 'with-daemon', '--labs-dir', engineLabs], { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  try {
    assert.ok(await poll(() => processesWith('with-daemon-long-step').length > 0, 15_000), `the long step never started: ${output}`);
  } finally {
    child.kill('SIGINT');
  }
  assert.equal(await closed, 130, output);
  assert.match(output, /interrupted: stopping the running command, then tearing down/);
  assert.equal((await status(lab)).up, false);
  assert.deepEqual(processesWithArgs('--listen-address=10.53.0.1'), []);
  assert.deepEqual(processesWith('with-daemon-long-step'), []);
  assert.deepEqual(rootNamespaceSnapshot(), rootBefore);
});

test('SIGKILL during kind create (stand-in binaries): down stops the create and deletes the cluster', async () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'kind-fault-'));
  const labsDir = path.join(tmp, 'labs');
  const dir = path.join(labsDir, 'kind-fault');
  mkdirSync(dir, { recursive: true });
  copyFileSync('labs/versions.yaml', path.join(labsDir, 'versions.yaml'));
  writeFileSync(path.join(dir, 'kind.yaml'), 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - role: control-plane\n');
  writeFileSync(
    path.join(dir, 'lab.yaml'),
    'schema: 1\nid: kind-fault\ntitle: t\nchapter: tests\nbackend: kind\nsummary: s\ncluster: { config: kind.yaml }\nsteps:\n  - { id: nodes, title: nodes, type: demo, run: kubectl get nodes }\n',
  );
  const fake = path.join(tmp, 'fake');
  mkdirSync(fake);
  const env = { PATH: `${path.resolve('tests/fixtures/kind-fakes/bin')}:${process.env.PATH}`, FAKE_LOG: path.join(fake, 'log'), FAKE_STATE: fake, FAKE_KIND_CREATE_SLEEP: '60' };
  const saved = { ...process.env };
  try {
    const result = await cliUntilExit(['up', 'kind-fault', '--labs-dir', labsDir], { ...env, K8S_NET_LABS_FAULT: 'kind-creating' });
    assert.equal(result.signal, 'SIGKILL', result.output);
    assert.ok(await poll(() => processesWith('fake-kind-create-marker').length > 0), 'the fake kind create runs on after its engine died');
    assert.match(readFileSync(path.join(fake, 'clusters'), 'utf8'), /^kind-fault$/m);
    Object.assign(process.env, env);
    const lab = await loadLab('kind-fault', { labsDir });
    assert.equal((await status(lab)).stale, true, 'status says the creation did not finish');
    const removed = await down(lab);
    assert.equal(removed.ok, true, JSON.stringify(removed));
    assert.ok(removed.removed.some((line) => /interrupted kind create/.test(line)), JSON.stringify(removed.removed));
    assert.ok(await poll(() => processesWith('fake-kind-create-marker').length === 0, 3000), 'the interrupted kind create was stopped');
    assert.doesNotMatch(readFileSync(path.join(fake, 'clusters'), 'utf8'), /^kind-fault$/m, 'the cluster was deleted');
    assert.match(readFileSync(path.join(fake, 'log'), 'utf8'), /kind delete cluster --name kind-fault/);
  } finally {
    process.env = saved;
    for (const pid of processesWith('fake-kind-create-marker')) process.kill(pid, 'SIGKILL');
    rmSync(tmp, { recursive: true, force: true });
  }
});

for (const mode of ['rootless', 'root'] as const) {
  test(`the holder dies (${mode}): down still finds and stops what the lab left running`, async () => {
    const env: Record<string, string> = mode === 'root' ? { LAB_SANDBOX_NO_USERNS: '1' } : {};
    const lab = await loadLab('two-nodes', { labsDir: engineLabs });
    const started = await cliUntilExit(['up', 'two-nodes', '--labs-dir', engineLabs], env);
    assert.equal(started.code, 0, started.output);
    const { pid, token } = JSON.parse(readFileSync(path.join(labStateDir(lab), 'sandbox.json'), 'utf8')) as { pid: number; token: string };
    assert.ok(processesWith('lab-engine-fixture-marker').length > 0, 'the marker runs in pod-b');
    process.kill(pid, 'SIGKILL');
    assert.ok(await poll(() => !existsSync(`/proc/${pid}/stat`) || readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z')), 'the holder is gone');
    assert.ok(processesWith('lab-engine-fixture-marker').length > 0, 'the marker outlives its holder');
    const removed = await cliUntilExit(['down', 'two-nodes', '--labs-dir', engineLabs], env);
    assert.equal(removed.code, 0, removed.output);
    assert.match(removed.output, /removed what was left of the sandbox \(its holder had died: holder pid \d+ is gone\)/);
    assert.ok(await poll(() => processesWith('lab-engine-fixture-marker').length === 0, 3000), 'down stopped the marker');
    assert.deepEqual(tokenHolders(token), []);
    assert.deepEqual(rootNamespaceSnapshot(), rootBefore);
  });
}
