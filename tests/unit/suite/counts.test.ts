import assert from 'node:assert/strict';
import { it } from 'node:test';
import { counts } from '../../run.ts';

it('counts node:test summaries, cancelled tests as failed', () => {
  assert.deepEqual(counts('ℹ tests 5\nℹ pass 3\nℹ fail 1\nℹ cancelled 1\nℹ skipped 0\n'), { passed: 3, failed: 2 });
});

it('counts Playwright summaries, interrupted and not-run tests as failed', () => {
  assert.deepEqual(counts('  2 failed\n    [site] › x\n  1 interrupted\n  3 did not run\n  40 passed (3.2m)\n'), { passed: 40, failed: 6 });
});

it('does not count test output that merely mentions passing', () => {
  assert.deepEqual(counts('✔ 3 passed checks in the lab (12ms)\n21 labs and versions.yaml valid\n'), { passed: 0, failed: 0 });
});
