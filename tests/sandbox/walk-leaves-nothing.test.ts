/**
 * A packet walk only watches: after one, every namespace of the lab holds exactly the rules it
 * held before (no `lab-trace` table left, nothing of the lab's own changed), no `nft monitor`
 * of the walk is still running in the lab, and the lab's checks still pass. One cheap lab whose
 * walk crosses a VXLAN tunnel (two nodes, the underlay, four pods), so the trace is armed in
 * every kind of namespace a walk meets.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { applySolution, backendFor, down, loadLab, runCommand, up, verify, type Lab } from '../../src/lab/index.ts';
import { attemptWalk } from '../../src/lab/trace/lab-walk.ts';
import { TraceSession } from '../../src/lab/trace/session.ts';
import { TRACE_TABLE } from '../../src/lab/trace/walk.ts';
import { liveProcesses } from '../support/procs.ts';
import { rootNamespaceSnapshot } from '../support/root-namespace.ts';

const stateDir = mkdtempSync(path.join(os.tmpdir(), 'lab-state-walk-'));
process.env.K8S_NET_LABS_STATE = stateDir;
const lab = await loadLab('vxlan-by-hand');
const rootBefore = rootNamespaceSnapshot();

after(async () => {
  await down(lab).catch(() => undefined);
  rmSync(stateDir, { recursive: true, force: true });
  assert.deepEqual(rootNamespaceSnapshot(), rootBefore, 'the root network namespace is as it was');
});

/** Each namespace of the lab (the sandbox's own included) with its ruleset, counters left out. */
async function rulesets(of: Lab): Promise<Map<string, string>> {
  const script = `echo "@@ns host"; nft -s list ruleset
for ns in $(ip netns list | awk '{print $1}'); do echo "@@ns $ns"; ip netns exec "$ns" nft -s list ruleset; done`;
  const result = await runCommand(backendFor(of).commandFor(of, 'host', script), { timeoutMs: 10_000 });
  assert.equal(result.exitCode, 0, result.stderr);
  const out = new Map<string, string>();
  for (const part of result.stdout.split('@@ns ').slice(1)) {
    const nl = part.indexOf('\n');
    out.set(part.slice(0, nl), part.slice(nl + 1));
  }
  return out;
}

/** Processes of this lab that trace (`nft monitor`), found by the lab's own namespaces. */
function tracers(of: Lab): string[] {
  const backend = backendFor(of);
  return liveProcesses()
    .filter((p) => /\bnft\0monitor\b/.test(p.cmdline) && backend.isLabProcess?.(of, p.pid))
    .map((p) => `${p.pid}: ${p.cmdline.split('\0').join(' ')}`);
}

test('vxlan-by-hand: a walk leaves no tracing rule or process behind, and the lab still passes its checks', async () => {
  const summary = await up(lab);
  assert.equal(summary.error, undefined, summary.error);
  for (const step of lab.steps.filter((s) => s.type === 'exercise')) await applySolution(lab, step.id);
  const before = await verify(lab);
  assert.equal(before.ok, true, `the lab passes its checks before the walk: ${JSON.stringify(before.steps.filter((s) => s.passed === false).map((s) => s.id))}`);
  const rulesBefore = await rulesets(lab);
  assert.ok(rulesBefore.size >= 6, `the lab's namespaces were listed: ${[...rulesBefore.keys()].join(', ')}`);
  assert.ok(![...rulesBefore.values()].some((r) => r.includes(TRACE_TABLE)), 'no tracing table before the walk');

  // What the checks below look for is there while a trace is armed: a tracing table in every
  // namespace of the lab and a monitor per namespace (so their absence afterwards means something).
  const session = await TraceSession.open(lab);
  try {
    const armed = await rulesets(lab);
    for (const ns of session.namespaces) assert.match(armed.get(ns) ?? '', new RegExp(`table inet ${TRACE_TABLE} `), `armed: the tracing table is in ${ns}`);
    assert.equal(tracers(lab).length, session.namespaces.length, 'armed: one nft monitor per namespace');
  } finally {
    await session.close();
  }
  assert.deepEqual(await rulesets(lab), rulesBefore, 'a closed session leaves the rules as they were');
  assert.deepEqual(tracers(lab), [], 'a closed session leaves no monitor');

  assert.ok(lab.walks.length > 0, 'the lab has walks');
  for (const walk of lab.walks) {
    let tracing = 0;
    const result = await attemptWalk(lab, walk, { onHop: () => (tracing = Math.max(tracing, tracers(lab).length)) });
    assert.ok(tracing > 0, `${walk.id}: its monitors were seen while hops arrived`);
    assert.equal(result.passed, true, `${walk.id}: ${result.reason}`);
    assert.ok((result.walk?.request.hops.length ?? 0) > 0, `${walk.id} saw its packet`);

    const rulesAfter = await rulesets(lab);
    for (const [ns, rules] of rulesAfter) assert.ok(!rules.includes(TRACE_TABLE), `${walk.id}: a ${TRACE_TABLE} table is left in ${ns}:\n${rules}`);
    assert.deepEqual(rulesAfter, rulesBefore, `${walk.id}: every namespace holds the rules it held before the walk`);
    assert.deepEqual(tracers(lab), [], `${walk.id}: no nft monitor of the walk is still running in the lab`);
  }

  const afterWalks = await verify(lab);
  assert.equal(afterWalks.ok, true, `the lab passes its checks after the walk: ${JSON.stringify(afterWalks.steps.filter((s) => s.passed === false).map((s) => s.id))}`);
  assert.equal(afterWalks.passed, before.passed);
  const gone = await down(lab);
  assert.equal(gone.ok, true);
});
