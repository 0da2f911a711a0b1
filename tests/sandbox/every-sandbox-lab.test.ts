/**
 * Every sandbox lab, found on disk (a new lab is covered without editing this file): `run` passes
 * every check; `prove` shows every check failing on each of its breaks and passing again, every
 * exercise failing before its solution, every walk changing when its data plane breaks, and no
 * check depending on another step; and the root network namespace is exactly as it was. One real
 * lab with every check replaced by `true` is refused by prove, check by check (the prover is the
 * same for every lab; the engine's own tests cover the other ways a check can cheat).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { loadAllLabs, prove, type Lab } from '../../src/lab/index.ts';
import { rootNamespaceSnapshot } from '../support/root-namespace.ts';

const stateDir = mkdtempSync(path.join(os.tmpdir(), 'lab-state-every-'));
process.env.K8S_NET_LABS_STATE = stateDir;
after(() => rmSync(stateDir, { recursive: true, force: true }));

const labs = (await loadAllLabs()).filter((lab) => lab.backend === 'sandbox');

/** The lab with every check's command replaced by `true`: a check that cannot fail. */
function hollow(lab: Lab): Lab {
  return { ...lab, steps: lab.steps.map((step) => (step.type === 'demo' ? step : { ...step, run: 'true', expect: { exit: 0, stdout: [], stdoutNot: [] }, retry: undefined })) };
}

// Two labs at a time: a lab spends most of its time waiting (timeouts that show a drop, retry
// windows, daemons converging), and each lives in its own namespaces, state folder and lock.
describe('every sandbox lab', { concurrency: 2 }, () => {
  it('there are sandbox labs to prove', () => {
    assert.ok(labs.length >= 2, `only ${labs.length} sandbox labs found`);
  });

  for (const lab of labs) {
    // prove runs every step in order as `run` does (each check must pass there first), then breaks
    // each check and walk, then checks again from a fresh setup.
    it(`${lab.id}: has an exercise, every check passes and is proved able to fail, and the host is left alone`, async () => {
      const exercises = lab.steps.filter((s) => s.type === 'exercise');
      assert.ok(exercises.length >= 1, `${lab.id} has no exercise`);
      const proved = await prove(lab);
      assert.equal(proved.ok, true, JSON.stringify({ error: proved.error, steps: proved.steps.filter((s) => s.passed === false).map((s) => ({ id: s.id, reason: s.reason })) }));
      assert.equal(proved.passed, lab.steps.filter((s) => s.type !== 'demo').length + lab.walks.length, 'every check and walk was proved');
    });
  }
});

describe('a lab that cannot fail', () => {
  const hollowLab = labs.find((lab) => lab.id === 'pod-network-by-hand') ?? labs[0]!;
  for (const lab of [hollowLab]) {
    it(`${lab.id}: with every check replaced by \`true\`, prove refuses each one`, async () => {
      const proved = await prove(hollow(lab));
      assert.equal(proved.ok, false);
      const checks = proved.steps.filter((s) => s.type !== 'demo' && !s.id.startsWith('walk:'));
      assert.equal(checks.length, lab.steps.filter((s) => s.type !== 'demo').length);
      for (const check of checks) {
        assert.equal(check.passed, false, `${check.id} was certified although it cannot fail`);
        assert.match(check.reason ?? '', /passes (when|before its solution)/, check.id);
      }
    });
  }
});

// Labs run two at a time above, so the root namespace is compared once around all of them.
const rootBefore = rootNamespaceSnapshot();
after(() => assert.deepEqual(rootNamespaceSnapshot(), rootBefore, 'the sandbox labs left the root network namespace exactly as it was'));
