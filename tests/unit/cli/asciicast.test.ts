/**
 * The asciicast recorder behind `run --record` and the committed per-step recordings: a prompt per
 * command, the output with CRLF line ends, a verdict per check, and the scrubbed text gone from
 * every frame (committed recordings must not carry the recording machine's paths).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AsciicastRecorder } from '../../../src/cli/record/asciicast.ts';

function frames(text: string): { header: { version: number; title: string }; out: string } {
  const [header, ...rest] = text.trim().split('\n').map((line) => JSON.parse(line) as unknown);
  return { header: header as { version: number; title: string }, out: (rest as [number, string, string][]).map((f) => f[2]).join('') };
}

test('a command, its output and its verdict; scrubbed paths replaced everywhere', () => {
  const rec = new AsciicastRecorder({ title: 'lab: step', scrub: [['/tmp/state-x/lab', '<state>'], ['/home/me/guide/labs/lab', 'labs/lab']] });
  rec.listener({ type: 'start', lab: 'lab', step: 's', title: 't', command: 'ip route\n', target: 'node1', attempt: 1 });
  rec.listener({ type: 'output', lab: 'lab', step: 's', stream: 'stdout', data: 'default via 10.0.0.1\nlog /tmp/state-x/lab/daemons/bird.log and /tmp/state-x/lab/x\n' });
  rec.listener({ type: 'output', lab: 'lab', step: 's', stream: 'stderr', data: 'cd /home/me/guide/labs/lab\n' });
  rec.listener({ type: 'end', lab: 'lab', step: 's', status: 'failed', exitCode: 1, durationMs: 5, reason: 'stdout did not match /x/' });
  const { header, out } = frames(rec.toString());
  assert.equal(header.version, 2);
  assert.equal(header.title, 'lab: step');
  assert.match(out, /node1.*\$ ip route\r\n/);
  assert.match(out, /default via 10\.0\.0\.1\r\n/);
  assert.match(out, /log <state>\/daemons\/bird\.log and <state>\/x/);
  assert.match(out, /cd labs\/lab\r\n/);
  assert.doesNotMatch(out, /\/tmp\/state-x|\/home\/me/);
  assert.match(out, /✗ check failed: stdout did not match \/x\//);
});

test('retries do not repeat the prompt; a pass says so', () => {
  const rec = new AsciicastRecorder({ title: 't' });
  for (const attempt of [1, 2]) rec.listener({ type: 'start', lab: 'lab', step: 's', title: 't', command: 'true', target: 'host', attempt });
  rec.listener({ type: 'end', lab: 'lab', step: 's', status: 'passed', exitCode: 0, durationMs: 1 });
  const { out } = frames(rec.toString());
  assert.equal(out.match(/\$ true/g)?.length, 1);
  assert.match(out, /✓ check passed/);
});
