/**
 * Every sandbox lab, found on disk (a new lab is covered without editing this file): `run` passes
 * every check, `prove` shows each exercise's check failing before its solution and passing after,
 * and the root network namespace is exactly as it was.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { loadAllLabs, prove, run } from '../../../src/lab/index.ts';
import { rootNamespaceSnapshot } from '../../support/root-namespace.ts';

const stateDir = mkdtempSync(path.join(os.tmpdir(), 'lab-state-every-'));
process.env.K8S_NET_LABS_STATE = stateDir;
after(() => rmSync(stateDir, { recursive: true, force: true }));

const labs = (await loadAllLabs()).filter((lab) => lab.backend === 'sandbox');

describe('every sandbox lab', { concurrency: 1 }, () => {
  it('there are sandbox labs to prove', () => {
    assert.ok(labs.length >= 2, `only ${labs.length} sandbox labs found`);
  });

  for (const lab of labs) {
    it(`${lab.id}: has an exercise, runs with every check passing, proves, and leaves the host alone`, async () => {
      const exercises = lab.steps.filter((s) => s.type === 'exercise');
      assert.ok(exercises.length >= 1, `${lab.id} has no exercise`);
      const before = rootNamespaceSnapshot();
      const ran = await run(lab);
      assert.equal(ran.ok, true, JSON.stringify(ran.steps.filter((s) => s.passed === false).map((s) => ({ id: s.id, reason: s.reason }))));
      assert.equal(ran.passed, lab.steps.filter((s) => s.type !== 'demo').length);
      const proved = await prove(lab);
      assert.equal(proved.ok, true, JSON.stringify(proved.steps.map((s) => ({ id: s.id, status: s.status, reason: s.reason }))));
      assert.deepEqual(rootNamespaceSnapshot(), before);
    });
  }
});
