/**
 * The sandbox backend and the runner, end to end on real namespaces: the two-nodes fixture lab
 * (run and prove), engine behaviour on a fixture lab (retries, timeouts, targets, cancel, lock),
 * the CLI, and the rootless path. The root namespace must be exactly as it was afterwards.
 * The fixtures are the engine's own (tests/fixtures/lab-engine), so these tests do not move when
 * a chapter's lab changes.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, chmodSync, chownSync, rmSync, rmdirSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { rootNamespaceSnapshot } from '../../support/root-namespace.ts';
import { loadLab, run, prove, up, verify, down, runStep, status, shellCommand, labStateDir, LabBusyError, type LabEvent } from '../../../src/lab/index.ts';

const stateDir = mkdtempSync(path.join(os.tmpdir(), 'lab-state-test-'));
process.env.K8S_NET_LABS_STATE = stateDir;
const fixtures = 'tests/fixtures/lab-runner/labs';
const engineLabs = 'tests/fixtures/lab-engine/labs';
const node = process.execPath;
const twoNodes = () => loadLab('two-nodes', { labsDir: engineLabs });
/** The number of checks (checks and exercises) in two-nodes, as the CLI summary counts them. */
const twoNodesChecks = (await twoNodes()).steps.filter((s) => s.type !== 'demo').length;

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

test('a lab runs end to end: every check passes, then nothing is left', async () => {
  const lab = await twoNodes();
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
  const demo = summary.steps.find((s) => s.id === 'routes')!;
  assert.match(demo.stdout, /^10\.244\.1\.0\/24 dev cni0/m);
  assert.equal((await status(lab)).up, false);
  assert.deepEqual(snapshot(), rootBefore);
});

test('prove: each check fails on each break and passes again; the exercise fails before its solution, in order and on a fresh setup', async () => {
  const lab = await twoNodes();
  const { events, onEvent } = collect();
  const summary = await prove(lab, { onEvent });
  assert.equal(summary.ok, true, JSON.stringify(summary));
  const ends = (id: string) => events.filter((e) => e.type === 'end' && e.step === id) as Extract<LabEvent, { type: 'end' }>[];
  // same-node: intact pass, fails on its break (whole window: at least two attempts), passes after the restore, passes again in reverse order.
  assert.deepEqual(ends('same-node').map((e) => e.status), ['passed', 'done', 'passed', 'passed']);
  assert.match(ends('same-node')[1]!.reason ?? '', /^fails when pod-b's veth is down, as it should \(2 attempts/);
  assert.equal(ends('same-node.break.0.restore')[0]!.status, 'done');
  // default-route has no restore: prove rebuilds the lab from a fresh setup.
  assert.ok(events.some((e) => e.type === 'output' && /rebuilding the lab from a fresh setup/.test((e as { data: string }).data)));
  // The exercise: fails in order and on a fresh setup before its solution, passes after.
  const exercise = ends('cross-node');
  assert.match(exercise[0]!.reason ?? '', /^fails before its solution, as it should/);
  assert.equal(exercise[1]!.status, 'passed');
  assert.match(exercise[2]!.reason ?? '', /^fails on a fresh setup before its solution, as it should/);
  assert.deepEqual(snapshot(), rootBefore);
});

test('prove refuses a check replaced by `true`, an exercise already solved by its setup, and a check that fails once then passes', async () => {
  const lab = await twoNodes();
  const steps = lab.steps.map((step) => {
    if (step.id === 'same-node') return { ...step, run: 'true', expect: { exit: 0, stdout: [], stdoutNot: [] } };
    // Fails the first time it runs after its break, then passes: a check that "fixes itself".
    if (step.id === 'route-back' && step.type === 'check') return { ...step, run: 'if [ -e /run/seen ]; then echo "via 192.168.0.11"; exit 0; fi; r=$(ip -n node2 route show 10.244.1.0/24); if [ -z "$r" ]; then touch /run/seen; exit 1; fi; echo "$r"' };
    return step;
  });
  // The exercise's route already in the setup: its check can no longer fail.
  const broken = { ...lab, steps, setup: [...lab.setup, { run: 'ip -n node1 route add 10.244.2.0/24 via 192.168.0.12 dev eth0' }] } as typeof lab;
  const summary = await prove(broken, {});
  assert.equal(summary.ok, false);
  const byId = Object.fromEntries(summary.steps.map((s) => [s.id, s]));
  assert.equal(byId['same-node']!.passed, false);
  assert.match(byId['same-node']!.reason ?? '', /passes when pod-b's veth is down \(attempt 1\): the check cannot tell/);
  assert.equal(byId['cross-node']!.passed, false);
  assert.match(byId['cross-node']!.reason ?? '', /passes before its solution \(attempt 1\)/);
  assert.equal(byId['route-back']!.passed, false);
  assert.match(byId['route-back']!.reason ?? '', /passes when node2's route back is gone \(attempt 2\)/);
  assert.equal(byId['default-route']!.passed, true, 'an honest check of the same lab still proves');
  assert.deepEqual(snapshot(), rootBefore);
});

test('prove refuses a check that depends on another step having run (fresh setup, reverse order)', async () => {
  const lab = await twoNodes();
  const steps = [
    { id: 'makes-file', title: 'a demo with a side effect', type: 'demo' as const, run: 'touch /run/made-by-a-demo', target: 'host' },
    { id: 'needs-file', title: 'a check that needs it', type: 'check' as const, run: 'test -e /run/made-by-a-demo', expect: { exit: 0, stdout: [], stdoutNot: [] }, breaks: [{ why: 'the file is gone', run: 'rm /run/made-by-a-demo', restore: 'touch /run/made-by-a-demo' }] },
  ];
  const summary = await prove({ ...lab, steps } as typeof lab, {});
  assert.equal(summary.ok, false);
  assert.match(summary.steps.find((s) => s.id === 'needs-file')!.reason ?? '', /fails on a fresh setup when the steps before it have not run/);
  assert.deepEqual(snapshot(), rootBefore);
});

test('up, verify and down as separate operations; the reader\'s own fix is seen by verify', async () => {
  const lab = await twoNodes();
  assert.equal((await up(lab)).ok, true);
  try {
    assert.equal((await status(lab)).up, true);
    const first = await verify(lab);
    assert.equal(first.ok, false);
    const exercise = first.steps.find((s) => s.id === 'cross-node')!;
    assert.equal(exercise.passed, false);
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
  assert.equal(summary.error, 'canceled\nthe lab was torn down');
  assert.equal(summary.left, undefined);
  assert.equal((await status(lab)).up, false);
  assert.equal(spawnSync('pgrep', ['-f', 'lab-slow-setup-marker']).status, 1, 'the setup command is gone');
  assert.deepEqual(snapshot(), rootBefore);
});

test('a stale sandbox state (holder gone) is detected and cleaned by the next up', async () => {
  const lab = await loadLab('runner-fixture', { labsDir: fixtures });
  await up(lab);
  const state = JSON.parse(readFileSync(path.join(labStateDir(lab), 'sandbox.json'), 'utf8')) as { pid: number };
  process.kill(state.pid, 'SIGKILL');
  await new Promise((r) => setTimeout(r, 200));
  const stale = await status(lab);
  assert.equal(stale.up, false);
  assert.equal(stale.stale, true);
  assert.equal((await up(lab)).ok, true);
  assert.equal((await down(lab)).ok, true);
  assert.equal(existsSync(path.join(labStateDir(lab), 'sandbox.json')), false);
});

test('the CLI: run exits 0 and records an asciicast; --json emits events; bad input exits 2', () => {
  const cast = path.join(stateDir, 'run.cast');
  const result = spawnSync(node, ['src/cli/main.ts', 'run', 'two-nodes', '--labs-dir', engineLabs, '--record', cast], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stdout + result.stderr);
  assert.match(result.stdout, new RegExp(`all ${twoNodesChecks} checks passed`));
  const [header, ...frames] = readFileSync(cast, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as unknown);
  assert.equal((header as { version: number }).version, 2);
  const text = (frames as [number, string, string][]).map((f) => f[2]).join('');
  assert.match(text, /node1.*\$ ip route/);
  assert.match(text, /10\.244\.1\.0\/24 dev cni0/);

  const json = spawnSync(node, ['src/cli/main.ts', 'run', 'runner-fixture', '--json', '--labs-dir', fixtures], { encoding: 'utf8', env: { ...process.env } });
  assert.equal(json.status, 1, 'failed checks give exit status 1');
  const events = json.stdout.trim().split('\n').map((line) => JSON.parse(line) as LabEvent);
  assert.ok(events.length > 0 && events.every((e) => typeof e.type === 'string'));

  const unknownVerb = spawnSync(node, ['src/cli/main.ts', 'frobnicate'], { encoding: 'utf8' });
  assert.equal(unknownVerb.status, 2);
  assert.match(unknownVerb.stderr, /^lab: unknown verb "frobnicate"; verbs: list, /);
  const unknownLab = spawnSync(node, ['src/cli/main.ts', 'up', 'no-such-lab'], { encoding: 'utf8' });
  assert.equal(unknownLab.status, 2);
  assert.match(unknownLab.stderr, /^lab: unknown lab "no-such-lab": no labs\/no-such-lab\/lab\.yaml\nknown labs: [a-z]/);
  assert.deepEqual(snapshot(), rootBefore);
});

test('rootless: an unprivileged user runs and proves the lab (user namespaces)', (t) => {
  const probe = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'unshare', '--user', '--map-root-user', '--net', '--mount', 'true']);
  assert.equal(probe.status, 0, `this kernel refuses unprivileged user namespaces: ${probe.stderr}`);
  const nobodyState = mkdtempSync(path.join(os.tmpdir(), 'lab-state-nobody-'));
  chownSync(nobodyState, 65534, 65534);
  // The unprivileged user must reach the code, and a clone inside a 0700 folder (mktemp -d, as CI
  // may make) is out of its reach: the checkout is bind-mounted at a path anyone can traverse, in
  // a mount namespace of the test's own, and run from there.
  const view = mkdtempSync('/tmp/lab-checkout-view-');
  chmodSync(view, 0o755);
  const checkout = process.cwd();
  const inView = (p: string) => (p.startsWith(`${checkout}/`) ? path.join(view, path.relative(checkout, p)) : p);
  try {
    for (const verb of ['run', 'prove']) {
      const asNobody = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', inView(node), 'src/cli/main.ts', verb, 'two-nodes', '--labs-dir', engineLabs];
      const result = spawnSync('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', 'mount --bind "$1" "$2" && cd "$2" && shift 2 && exec "$@"', 'sh', checkout, view, ...asNobody], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH!.split(':').map(inView).join(':'), HOME: nobodyState, K8S_NET_LABS_STATE: nobodyState },
      });
      assert.equal(result.status, 0, `${verb}: ${result.stdout}${result.stderr}`);
      assert.match(result.stdout, new RegExp(`all ${twoNodesChecks} checks passed`));
    }
  } finally {
    rmSync(nobodyState, { recursive: true, force: true });
    rmdirSync(view); // never recursive: were the bind mount visible here, that would empty the checkout
  }
  assert.deepEqual(snapshot(), rootBefore);
  t.diagnostic(`rootless ok as uid 65534`);
});

test('root fallback: without user namespaces the lab runs as root in net + mount namespaces', () => {
  assert.equal(process.getuid?.(), 0, 'this test needs root (CI runs as root)');
  const result = spawnSync(node, ['src/cli/main.ts', 'run', 'two-nodes', '--labs-dir', engineLabs], { encoding: 'utf8', env: { ...process.env, LAB_SANDBOX_NO_USERNS: '1' } });
  assert.equal(result.status, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /running as root in a private net \+ mount namespace instead/);
  assert.deepEqual(snapshot(), rootBefore);
});

