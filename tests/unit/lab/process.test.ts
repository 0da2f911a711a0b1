import { test } from 'node:test';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { runCommand, bashArgs } from '../../../src/lab/process/index.ts';
import type { SpawnSpec } from '../../../src/lab/process/index.ts';
import { groupAlive } from '../../../src/lab/process/kill-group.ts';
import { processesWith } from '../../support/procs.ts';

/** Pids of live processes whose argv[0] starts with `marker` (set with `exec -a`). */
const processesStartingWith = (marker: string) => processesWith(marker, 'start');

function bash(cmd: string): SpawnSpec {
  return { file: 'bash', args: bashArgs(cmd), env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, cwd: process.cwd() };
}


async function waitUntilGone(marker: string, ms = 3000): Promise<number[]> {
  const deadline = Date.now() + ms;
  let left = processesStartingWith(marker);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 25));
    left = processesStartingWith(marker);
  }
  return left;
}

test('exit codes are reported as they are', async () => {
  assert.equal((await runCommand(bash('exit 0'))).exitCode, 0);
  assert.equal((await runCommand(bash('exit 3'))).exitCode, 3);
  // -e: a failing line fails the command; pipefail: a failing pipe stage too.
  assert.equal((await runCommand(bash('false; echo after'))).exitCode, 1);
  assert.equal((await runCommand(bash('false | true'))).exitCode, 1);
});

test('output is streamed in order and kept for matching', async () => {
  const chunks: string[] = [];
  const result = await runCommand(bash('for i in 1 2 3; do echo line$i; sleep 0.05; done; echo oops >&2'), {
    onOutput: (stream, data) => chunks.push(`${stream}:${data}`),
  });
  assert.equal(result.stdout, 'line1\nline2\nline3\n');
  assert.equal(result.stderr, 'oops\n');
  assert.deepEqual(chunks.filter((c) => c.startsWith('stdout:')), ['stdout:line1\n', 'stdout:line2\n', 'stdout:line3\n']);
  assert.ok(result.durationMs >= 150, `took ${result.durationMs} ms`);
});

test('retained output is bounded but everything is streamed', async () => {
  let streamed = 0;
  const result = await runCommand(bash('head -c 300000 /dev/zero | tr "\\0" x; echo END'), {
    maxBuffer: 10_000,
    onOutput: (stream, data) => {
      if (stream === 'stdout') streamed += data.length;
    },
  });
  assert.equal(streamed, 300_004);
  assert.equal(result.stdout.length, 10_000);
  assert.ok(result.stdout.endsWith('xEND\n'));
  assert.equal(result.truncated, true);
});

test('a timeout kills the whole group: SIGTERM, then SIGKILL for what ignores it', async () => {
  const marker = `lab-test-timeout-${process.pid}`;
  const result = await runCommand(bash(`(trap '' TERM; exec -a ${marker} sleep 30) & exec -a ${marker}-parent sleep 30`), {
    timeoutMs: 200,
    graceMs: 300,
  });
  assert.equal(result.timedOut, true);
  assert.equal(result.canceled, false);
  assert.equal(result.exitCode, null);
  assert.equal(result.message, 'timed out after 200 ms');
  assert.ok(result.durationMs < 30_000, 'killed, not waited for: sleep 30 never finished');
  assert.deepEqual(await waitUntilGone(marker), [], 'no process of the group survives');
});

test('an AbortSignal cancels the command and its descendants', async () => {
  const marker = `lab-test-cancel-${process.pid}`;
  const controller = new AbortController();
  const pending = runCommand(bash(`bash -c "exec -a ${marker} sleep 30" & bash -c "exec -a ${marker} sleep 30" & wait`), { signal: controller.signal });
  const deadline = Date.now() + 3000;
  while (processesStartingWith(marker).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.equal(processesStartingWith(marker).length, 2, 'both grandchildren started');
  controller.abort();
  const result = await pending;
  assert.equal(result.canceled, true);
  assert.equal(result.timedOut, false);
  assert.deepEqual(await waitUntilGone(marker), []);
});

test('background jobs a command leaves behind are killed when it exits', async () => {
  const marker = `lab-test-leftover-${process.pid}`;
  const result = await runCommand(bash(`(exec -a ${marker} sleep 30) & echo started`));
  assert.equal(result.exitCode, 0);
  assert.equal(result.stdout, 'started\n');
  assert.deepEqual(await waitUntilGone(marker), []);
});

test('a command that cannot start is reported, not thrown', async () => {
  const result = await runCommand({ file: '/nonexistent/binary', args: [], env: {}, cwd: '/' });
  assert.equal(result.exitCode, null);
  assert.match(result.message ?? '', /could not start \/nonexistent\/binary/);
});

test('an already aborted signal runs nothing', async () => {
  const controller = new AbortController();
  controller.abort();
  const result = await runCommand(bash('echo never'), { signal: controller.signal });
  assert.equal(result.canceled, true);
  assert.equal(result.stdout, '');
});

test('a group whose only member is a zombie counts as gone', async () => {
  // bash's `set -m` gives the background job a group of its own. The job outlives bash's own code
  // (it sleeps a moment, so bash cannot reap it first) and exits once `exec sleep` has replaced
  // bash, which never reaps it: the group holds one zombie, as when init is slow to reap an
  // orphaned daemon helper.
  const parent = spawn('bash', ['-c', 'set -m; sleep 0.5 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'], detached: true });
  try {
    const pgid = Number((await once(parent.stdout!, 'data'))[0].toString().trim());
    const state = () => readFileSync(`/proc/${pgid}/stat`, 'utf8').replace(/^.*\) /, '')[0];
    for (let i = 0; i < 500 && state() !== 'Z'; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(state(), 'Z', 'the job exited and is left unreaped');
    assert.equal(groupAlive(pgid), false);
    assert.equal(groupAlive(parent.pid!), true, 'a running group counts');
  } finally {
    parent.kill('SIGKILL');
  }
});
