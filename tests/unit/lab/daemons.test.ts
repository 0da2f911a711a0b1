/**
 * Daemons with a real Debian daemon (dnsmasq): started after setup and waited for until ready,
 * logged, shown when a step fails, restarted by a fresh setup in prove, stopped at down; a daemon
 * that never gets ready fails `up` with its log and leaves nothing.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { daemonLogFile, down, loadLab, prove, runStep, status, up, type LabEvent } from '../../../src/lab/index.ts';
import { processesWith, processesWithArgs } from '../../support/procs.ts';
import { rootNamespaceSnapshot } from '../../support/root-namespace.ts';

const stateDir = mkdtempSync(path.join(os.tmpdir(), 'lab-state-daemons-'));
process.env.K8S_NET_LABS_STATE = stateDir;
const engineLabs = 'tests/fixtures/lab-engine/labs';
const dnsmasq = () => processesWithArgs('--listen-address=10.53.0.1');
let rootBefore: Record<string, string>;
before(() => (rootBefore = rootNamespaceSnapshot()));
after(() => rmSync(stateDir, { recursive: true, force: true }));

test('a daemon is started and waited for, logs to the state folder, shows its log when a step fails, and stops at down', async () => {
  const lab = await loadLab('with-daemon', { labsDir: engineLabs });
  const events: LabEvent[] = [];
  const started = await up(lab, { onEvent: (e) => events.push(e) });
  assert.equal(started.ok, true, started.error);
  try {
    assert.ok(events.some((e) => e.type === 'end' && e.step === 'daemon.dns' && e.status === 'done'), 'the daemon start is an event');
    const current = await status(lab);
    assert.equal(current.daemons.length, 1);
    assert.equal(current.daemons[0]!.running, true);
    assert.deepEqual(dnsmasq(), [current.daemons[0]!.pid]);
    const log = daemonLogFile(lab, 'dns');
    assert.match(readFileSync(log, 'utf8'), /dnsmasq\[\d+\]: started, version/);

    assert.equal((await runStep(lab, 'resolves')).passed, true);
    const failing: LabEvent[] = [];
    const result = await runStep(lab, 'wrong-name', { onEvent: (e) => failing.push(e) });
    assert.equal(result.passed, false);
    const shown = failing.filter((e) => e.type === 'output' && e.stream === 'stderr').map((e) => (e as { data: string }).data).join('');
    assert.match(shown, /── daemon dns on node1: running \(pid \d+\); log .*dns\.log/);
    assert.match(shown, /query\[A\] other\.test from 10\.53\.0\.1/, "the daemon's own log explains the failure");

    const cli = spawnSync(process.execPath, ['src/cli/main.ts', 'logs', 'with-daemon', 'dns', '--labs-dir', engineLabs], { encoding: 'utf8', env: process.env });
    assert.equal(cli.status, 0);
    assert.match(cli.stdout, /^── dns \(.*dns\.log\)\n/);
    assert.match(cli.stdout, /config fixture\.test is 10\.9\.9\.9/);
  } finally {
    const removed = await down(lab);
    assert.equal(removed.ok, true);
    assert.ok(removed.removed.some((line) => /^daemon dns \(pid \d+; log kept: .*dns\.log\)$/.test(line)), JSON.stringify(removed.removed));
  }
  assert.deepEqual(dnsmasq(), []);
  assert.equal(existsSync(daemonLogFile(lab, 'dns')), true, 'the log outlives the lab, for the reader');
  assert.deepEqual(rootNamespaceSnapshot(), rootBefore);
});

test('prove: a break that stops the daemon fails the check; a fresh setup starts the daemon again', async () => {
  const lab = await loadLab('with-daemon', { labsDir: engineLabs });
  const summary = await prove({ ...lab, steps: lab.steps.filter((s) => s.id === 'resolves') });
  assert.equal(summary.ok, true, JSON.stringify(summary));
  assert.deepEqual(dnsmasq(), []);
  assert.deepEqual(rootNamespaceSnapshot(), rootBefore);
});

test('a daemon that never gets ready fails up with its log, and the lab is torn down', async () => {
  const lab = await loadLab('daemon-never-ready', { labsDir: engineLabs });
  const summary = await up(lab);
  assert.equal(summary.ok, false);
  assert.match(summary.error ?? '', /^daemon sleeper \(host\) was not ready after 1000 ms \(readiness check: expected exit status 0, got exit status 1\); its log \(.*sleeper\.log\):\n {2}sleeper-says-hello\nthe lab was torn down$/);
  assert.equal((await status(lab)).up, false);
  assert.deepEqual(processesWith('lab-never-ready-marker'), []);
  assert.deepEqual(rootNamespaceSnapshot(), rootBefore);
});
