/**
 * The sandbox backend and the runner, end to end on real namespaces: the pod-network-by-hand lab
 * (run and prove), engine behaviour on a fixture lab (retries, timeouts, targets, cancel, lock),
 * the CLI, and the rootless path. The root namespace must be exactly as it was afterwards.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, chmodSync, rmSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { rootNamespaceSnapshot } from '../../support/root-namespace.ts';
import { loadLab, run, prove, up, verify, down, runStep, status, shellCommand, LabBusyError, type LabEvent } from '../../../src/lab/index.ts';

const stateDir = mkdtempSync(path.join(os.tmpdir(), 'lab-state-test-'));
process.env.K8S_NET_LABS_STATE = stateDir;
const fixtures = 'tests/fixtures/lab-runner/labs';
const node = process.execPath;
/** The number of checks (checks and exercises) in pod-network-by-hand, as the CLI summary counts them. */
const podNetworkChecks = (await loadLab('pod-network-by-hand')).steps.filter((s) => s.type !== 'demo').length;

const snapshot = rootNamespaceSnapshot;

let rootBefore: Record<string, string>;
before(() => {
  rootBefore = snapshot();
});
after(() => {
  rmSync(stateDir, { recursive: true, force: true });
});

function collect(): { events: LabEvent[]; onEvent: (e: LabEvent) => void } {
  const events: LabEvent[] = [];
  return { events, onEvent: (e) => events.push(e) };
}

test('pod-network-by-hand runs end to end: every check passes, then nothing is left', async () => {
  const lab = await loadLab('pod-network-by-hand');
  const { events, onEvent } = collect();
  const summary = await run(lab, { onEvent });
  assert.equal(summary.error, undefined);
  assert.equal(summary.ok, true, JSON.stringify(summary.steps.filter((s) => s.passed === false)));
  assert.equal(summary.failed, 0);
  assert.equal(summary.passed, lab.steps.filter((s) => s.type !== 'demo').length);
  assert.deepEqual(
    events.filter((e) => e.type === 'phase').map((e) => (e as { phase: string }).phase),
    ['prerequisites', 'setup', 'steps', 'solution', 'steps', 'teardown'],
  );
  const demo = summary.steps.find((s) => s.id === 'pod-routes')!;
  assert.match(demo.stdout, /^default via 10\.244\.1\.1 dev eth0/m);
  assert.equal((await status(lab)).up, false);
  assert.deepEqual(snapshot(), rootBefore);
});

test('prove: the exercise fails before its solution and passes after it', async () => {
  const lab = await loadLab('pod-network-by-hand');
  const { events, onEvent } = collect();
  const summary = await prove(lab, { onEvent });
  assert.equal(summary.ok, true, JSON.stringify(summary));
  const exerciseEnds = events.filter((e) => e.type === 'end' && e.step === 'cross-node-route') as Extract<LabEvent, { type: 'end' }>[];
  assert.equal(exerciseEnds.length, 2);
  assert.match(exerciseEnds[0]!.reason ?? '', /^fails before its solution, as it should/);
  assert.equal(exerciseEnds[1]!.status, 'passed');
  assert.deepEqual(snapshot(), rootBefore);
});

test('prove fails an exercise whose check passes before its solution', async () => {
  const lab = await loadLab('pod-network-by-hand');
  // The same lab with the exercise's route already in the setup: its check can no longer fail.
  const broken = { ...lab, setup: [...lab.setup, { run: 'ip -n node1 route add 10.244.2.0/24 via 192.168.0.12 dev eth0' }] };
  const summary = await prove(broken, {});
  assert.equal(summary.ok, false);
  const step = summary.steps.find((s) => s.id === 'cross-node-route')!;
  assert.equal(step.passed, false);
  assert.match(step.reason ?? '', /passed before its solution was applied/);
  assert.deepEqual(snapshot(), rootBefore);
});

test('up, verify and down as separate operations; the reader\'s own fix is seen by verify', async () => {
  const lab = await loadLab('pod-network-by-hand');
  assert.equal((await up(lab)).ok, true);
  try {
    assert.equal((await status(lab)).up, true);
    const first = await verify(lab);
    assert.equal(first.ok, false);
    const exercise = first.steps.find((s) => s.id === 'cross-node-route')!;
    assert.equal(exercise.passed, false);
    assert.equal(exercise.hint, "ip route add <node2's pod CIDR> via <node2's address>");
    // The reader adds the route through a shell on node1.
    const spec = await shellCommand(lab, 'node1');
    const fix = spawnSync(spec.file, spec.args, { env: spec.env, cwd: spec.cwd, input: 'ip route add 10.244.2.0/24 via 192.168.0.12\nexit\n', encoding: 'utf8' });
    assert.equal(fix.status, 0, fix.stderr);
    assert.equal((await verify(lab)).ok, true);
  } finally {
    assert.equal((await down(lab)).ok, true);
  }
  assert.equal((await status(lab)).up, false);
  assert.deepEqual(snapshot(), rootBefore);
});

test('engine behaviour on real processes: retry, timeout, failing output, netns target, demo output order', async () => {
  const lab = await loadLab('runner-fixture', { labsDir: fixtures });
  const { events, onEvent } = collect();
  const summary = await run(lab, { onEvent });
  const byId = Object.fromEntries(summary.steps.map((s) => [s.id, s]));
  assert.equal(byId.converges!.passed, true);
  assert.equal(byId.converges!.attempts, 3);
  assert.equal(byId.hangs!.status, 'timed-out');
  assert.equal(byId.hangs!.reason, 'timed out after 300 ms');
  assert.equal(byId.hangs!.hint, 'it hangs on purpose');
  assert.ok(byId.hangs!.durationMs < 2500, `hang killed quickly (${byId.hangs!.durationMs} ms)`);
  assert.equal(byId['wrong-output']!.reason, 'stdout did not match /1 received/');
  assert.equal(byId['wrong-output']!.hint, 'the hint for wrong-output');
  assert.equal(byId['in-netns']!.passed, true);
  assert.equal(summary.passed, 2);
  assert.equal(summary.failed, 2);
  assert.equal(summary.ok, false);
  const demoOut = events.filter((e) => e.type === 'output' && e.step === 'shows-output' && e.stream === 'stdout').map((e) => (e as { data: string }).data).join('');
  assert.equal(demoOut, 'one\nthree\n');
  const starts = events.filter((e) => e.type === 'start' && e.step === 'converges').map((e) => (e as { attempt: number }).attempt);
  assert.deepEqual(starts, [1, 2, 3]);
  assert.ok(events.some((e) => e.type === 'end' && e.step === 'teardown.0' && e.status === 'done'), 'teardown ran');
  assert.equal((await status(lab)).up, false);
});

test('a second operation on a busy lab gets a clear error', async () => {
  const lab = await loadLab('runner-fixture', { labsDir: fixtures });
  const first = up(lab);
  await assert.rejects(verify(lab), (error: Error) => {
    assert.ok(error instanceof LabBusyError);
    assert.match(error.message, /^lab runner-fixture is busy: "up" \(pid \d+, since .*\) is running on it; wait for it to finish or cancel it, then try again$/);
    return true;
  });
  await first;
  await down(lab);
});

test('runStep needs the lab up and names the known steps for an unknown id', async () => {
  const lab = await loadLab('runner-fixture', { labsDir: fixtures });
  await assert.rejects(runStep(lab, 'converges'), /lab runner-fixture is not up: run npm run lab -- up runner-fixture/);
  await assert.rejects(runStep(lab, 'nope'), /no step "nope"; steps: shows-output, converges, hangs, wrong-output, in-netns/);
});

test('cancel mid-setup kills the command, tears down and leaves nothing', async () => {
  const lab = await loadLab('slow-setup', { labsDir: fixtures });
  const controller = new AbortController();
  const pending = up(lab, { signal: controller.signal });
  await new Promise((r) => setTimeout(r, 400));
  controller.abort();
  const summary = await pending;
  assert.equal(summary.ok, false);
  assert.equal(summary.error, 'canceled; the lab was torn down');
  assert.equal(summary.left, undefined);
  assert.equal((await status(lab)).up, false);
  assert.equal(spawnSync('pgrep', ['-f', 'lab-slow-setup-marker']).status, 1, 'the setup command is gone');
  assert.deepEqual(snapshot(), rootBefore);
});

test('a stale sandbox state (holder gone) is detected and cleaned by the next up', async () => {
  const lab = await loadLab('runner-fixture', { labsDir: fixtures });
  await up(lab);
  const state = JSON.parse(readFileSync(path.join(stateDir, 'runner-fixture', 'sandbox.json'), 'utf8')) as { pid: number };
  process.kill(state.pid, 'SIGKILL');
  await new Promise((r) => setTimeout(r, 200));
  const stale = await status(lab);
  assert.equal(stale.up, false);
  assert.equal(stale.stale, true);
  assert.equal((await up(lab)).ok, true);
  assert.equal((await down(lab)).ok, true);
  assert.equal(existsSync(path.join(stateDir, 'runner-fixture', 'sandbox.json')), false);
});

test('the CLI: run exits 0 and records an asciicast; --json emits events; bad input exits 2', () => {
  const cast = path.join(stateDir, 'run.cast');
  const result = spawnSync(node, ['src/cli/main.ts', 'run', 'pod-network-by-hand', '--record', cast], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stdout + result.stderr);
  assert.match(result.stdout, new RegExp(`all ${podNetworkChecks} checks passed`));
  const [header, ...frames] = readFileSync(cast, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as unknown);
  assert.equal((header as { version: number }).version, 2);
  const text = (frames as [number, string, string][]).map((f) => f[2]).join('');
  assert.match(text, /pod-a.*\$ ip route/);
  assert.match(text, /default via 10\.244\.1\.1 dev eth0/);

  const json = spawnSync(node, ['src/cli/main.ts', 'run', 'runner-fixture', '--json', '--labs-dir', fixtures], { encoding: 'utf8', env: { ...process.env } });
  assert.equal(json.status, 1, 'failed checks give exit status 1');
  const events = json.stdout.trim().split('\n').map((line) => JSON.parse(line) as LabEvent);
  assert.ok(events.length > 0 && events.every((e) => typeof e.type === 'string'));

  const unknownVerb = spawnSync(node, ['src/cli/main.ts', 'frobnicate'], { encoding: 'utf8' });
  assert.equal(unknownVerb.status, 2);
  assert.match(unknownVerb.stderr, /^lab: unknown verb "frobnicate"; verbs: list, /);
  const unknownLab = spawnSync(node, ['src/cli/main.ts', 'up', 'no-such-lab'], { encoding: 'utf8' });
  assert.equal(unknownLab.status, 2);
  assert.match(unknownLab.stderr, /^lab: unknown lab "no-such-lab": no labs\/no-such-lab\/lab\.yaml\nknown labs: .*pod-network-by-hand/);
  assert.deepEqual(snapshot(), rootBefore);
});

test('rootless: an unprivileged user runs and proves the lab (user namespaces)', (t) => {
  const probe = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'unshare', '--user', '--map-root-user', '--net', '--mount', 'true']);
  assert.equal(probe.status, 0, `this kernel refuses unprivileged user namespaces: ${probe.stderr}`);
  const nobodyState = mkdtempSync(path.join(os.tmpdir(), 'lab-state-nobody-'));
  chmodSync(nobodyState, 0o777);
  try {
    for (const verb of ['run', 'prove']) {
      const result = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', node, 'src/cli/main.ts', verb, 'pod-network-by-hand'], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: nobodyState, K8S_NET_LABS_STATE: nobodyState },
      });
      assert.equal(result.status, 0, `${verb}: ${result.stdout}${result.stderr}`);
      assert.match(result.stdout, new RegExp(`all ${podNetworkChecks} checks passed`));
    }
  } finally {
    rmSync(nobodyState, { recursive: true, force: true });
  }
  assert.deepEqual(snapshot(), rootBefore);
  t.diagnostic(`rootless ok as uid 65534`);
});

test('root fallback: without user namespaces the lab runs as root in net + mount namespaces', () => {
  assert.equal(process.getuid?.(), 0, 'this test needs root (CI runs as root)');
  const result = spawnSync(node, ['src/cli/main.ts', 'run', 'pod-network-by-hand'], { encoding: 'utf8', env: { ...process.env, LAB_SANDBOX_NO_USERNS: '1' } });
  assert.equal(result.status, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /running as root in a private net \+ mount namespace instead/);
  assert.deepEqual(snapshot(), rootBefore);
});

