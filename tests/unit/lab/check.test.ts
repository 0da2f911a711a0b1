import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate } from '../../../src/lab/check.ts';
import type { CommandResult } from '../../../src/lab/process/index.ts';

function result(partial: Partial<CommandResult>): CommandResult {
  return { exitCode: 0, signal: null, timedOut: false, canceled: false, durationMs: 1, stdout: '', stderr: '', truncated: false, ...partial };
}
const expect = (e: { exit?: number; stdout?: string[]; stdoutNot?: string[] }) => ({ exit: 0, stdout: [], stdoutNot: [], ...e });

test('a check passes when exit status and every pattern match', () => {
  assert.deepEqual(evaluate(expect({ stdout: ['1 received', '^PING'] }), result({ stdout: 'PING x\n1 packets transmitted, 1 received\n' })), { passed: true });
});

test('a wrong exit status fails with the status and the last line of output', () => {
  assert.deepEqual(evaluate(expect({}), result({ exitCode: 2, stderr: 'first\nNetwork is unreachable\n' })), {
    passed: false,
    reason: 'expected exit status 0, got exit status 2: Network is unreachable',
  });
  assert.equal(evaluate(expect({ exit: 1 }), result({ exitCode: 1 })).passed, true);
});

test('a missing stdout pattern fails with a one-line reason', () => {
  assert.deepEqual(evaluate(expect({ stdout: ['1 received'] }), result({ stdout: '0 received\n' })), { passed: false, reason: 'stdout did not match /1 received/' });
});

test('a forbidden stdout pattern fails and quotes the match', () => {
  assert.deepEqual(evaluate(expect({ stdoutNot: ['Unreachable'] }), result({ stdout: 'From 10.0.0.1 Destination Host Unreachable\n' })), {
    passed: false,
    reason: 'stdout matched /Unreachable/ ("Unreachable") but must not',
  });
});

test('patterns use multiline mode: ^ and $ anchor lines', () => {
  assert.equal(evaluate(expect({ stdout: ['^from 10\\.0\\.0\\.2$'] }), result({ stdout: 'x\nfrom 10.0.0.2\ny\n' })).passed, true);
});

test('timeouts and cancels fail', () => {
  assert.deepEqual(evaluate(expect({}), result({ exitCode: null, timedOut: true, message: 'timed out after 100 ms' })), { passed: false, reason: 'timed out after 100 ms' });
  assert.deepEqual(evaluate(expect({}), result({ exitCode: null, canceled: true })), { passed: false, reason: 'canceled' });
});
