/**
 * The engine's state cannot be used against the machine: a state folder that is not the user's own
 * (mode 0700) is refused; a state file naming a process the lab did not start kills nothing and
 * says why; state is kept per checkout; `up` keeps a running lab unless --force; `status` lists.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { down, labStateDir, loadLab, status, up, LabError } from '../../../src/lab/index.ts';
import { rootNamespaceSnapshot } from '../../support/root-namespace.ts';

const stateDir = mkdtempSync(path.join(os.tmpdir(), 'lab-state-safety-'));
process.env.K8S_NET_LABS_STATE = stateDir;
const engineLabs = 'tests/fixtures/lab-engine/labs';
const node = process.execPath;
after(() => rmSync(stateDir, { recursive: true, force: true }));

function startTimeOf(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!;
}

test('a planted state file naming a process the lab did not start kills nothing and says why', async () => {
  const lab = await loadLab('two-nodes', { labsDir: engineLabs });
  const bystander = spawn('sleep', ['300'], { stdio: 'ignore' });
  const pid = bystander.pid!;
  try {
    const ns = (kind: string) => spawnSync('readlink', [`/proc/${pid}/ns/${kind}`], { encoding: 'utf8' }).stdout.trim();
    // Everything a real record holds, for a process of this machine's own namespaces.
    const planted = { pid, startTime: startTimeOf(pid), userns: true, user: ns('user'), net: ns('net'), mnt: ns('mnt'), token: 'ab'.repeat(16) };
    writeFileSync(path.join(labStateDir(lab), 'sandbox.json'), JSON.stringify(planted));
    assert.equal((await status(lab)).up, false, 'a process of the host is no sandbox');
    const result = await down(lab);
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.ok(
      result.removed.some((line) => line === `not touched: the state file names pid ${pid} (sleep), but it lives in this machine's own network namespace: it is no sandbox`),
      JSON.stringify(result.removed),
    );
    assert.equal(bystander.exitCode, null, 'the bystander still runs');
    process.kill(pid, 0);
  } finally {
    bystander.kill('SIGKILL');
  }
});

test('a state folder that is not the user\'s own, or not private, is refused before anything runs', async () => {
  const lab = await loadLab('two-nodes', { labsDir: engineLabs });
  const base = mkdtempSync(path.join(os.tmpdir(), 'lab-state-foreign-'));
  const saved = process.env.K8S_NET_LABS_STATE;
  try {
    const foreign = path.join(base, 'foreign');
    mkdirSync(foreign, { mode: 0o700 });
    chownSync(foreign, 65534, 65534);
    process.env.K8S_NET_LABS_STATE = foreign;
    await assert.rejects(up(lab), (error: Error) => error instanceof LabError && /^refusing the lab state folder .*foreign: it belongs to uid 65534, not to you \(uid 0\)/.test(error.message));
    await assert.rejects(down(lab), /refusing the lab state folder/);

    const open = path.join(base, 'open');
    mkdirSync(open);
    chmodSync(open, 0o755);
    process.env.K8S_NET_LABS_STATE = open;
    await assert.rejects(status(lab), /refusing the lab state folder .*open: it has mode 0755: others can read or write it/);

    const target = path.join(base, 'target');
    mkdirSync(target, { mode: 0o700 });
    const link = path.join(base, 'link');
    symlinkSync(target, link);
    process.env.K8S_NET_LABS_STATE = link;
    await assert.rejects(status(lab), /refusing the lab state folder .*link: it is a symbolic link/);

    const cli = spawnSync(node, ['src/cli/main.ts', 'up', 'two-nodes', '--labs-dir', engineLabs], { encoding: 'utf8', env: { ...process.env, K8S_NET_LABS_STATE: path.join(base, 'foreign') } });
    assert.equal(cli.status, 1);
    assert.match(cli.stderr, /^lab: refusing the lab state folder/);
  } finally {
    process.env.K8S_NET_LABS_STATE = saved;
    rmSync(base, { recursive: true, force: true });
  }
});

test('state is per checkout: the same lab id in another checkout is another lab', async () => {
  const copy = mkdtempSync(path.join(os.tmpdir(), 'lab-checkout-'));
  const rootBefore = rootNamespaceSnapshot();
  try {
    cpSync(engineLabs, path.join(copy, 'labs'), { recursive: true, dereference: false });
    // The fixture's _lib is a relative symlink into the repository: point the copy at the real one.
    rmSync(path.join(copy, 'labs', '_lib'));
    symlinkSync(path.resolve('labs/_lib'), path.join(copy, 'labs', '_lib'));
    const here = await loadLab('two-nodes', { labsDir: engineLabs });
    const there = await loadLab('two-nodes', { labsDir: path.join(copy, 'labs') });
    assert.notEqual(labStateDir(here), labStateDir(there));
    assert.equal((await up(here)).ok, true);
    assert.equal((await up(there)).ok, true);
    const removed = await down(there);
    assert.equal(removed.ok, true);
    assert.equal((await status(there)).up, false);
    assert.equal((await status(here)).up, true, "the other checkout's down left this one alone");
  } finally {
    await down(await loadLab('two-nodes', { labsDir: engineLabs }));
    rmSync(copy, { recursive: true, force: true });
  }
  assert.deepEqual(rootNamespaceSnapshot(), rootBefore);
});

test('up keeps a lab that is up (asks for --force), --force rebuilds it; status lists it; down says what it removed', () => {
  const cli = (...args: string[]) => spawnSync(node, ['src/cli/main.ts', ...args, '--labs-dir', engineLabs], { encoding: 'utf8', env: process.env });
  assert.equal(cli('up', 'two-nodes').status, 0);
  try {
    // The holder stays the shell that recorded itself (no exec after "ready"): while an exec
    // replaces a process's memory its environ reads empty, and a step entering the lab at that
    // moment would refuse a holder without the lab's token.
    const holder = Number(/holder pid (\d+)/.exec(cli('status').stdout)?.[1]);
    assert.equal(readFileSync(`/proc/${holder}/comm`, 'utf8').trim(), 'bash');
    const marker = spawnSync('pgrep', ['-f', 'lab-engine-fixture-marker'], { encoding: 'utf8' }).stdout.trim();
    const again = cli('up', 'two-nodes');
    assert.equal(again.status, 1);
    assert.match(again.stderr, /lab two-nodes is already up \(sandbox holder pid \d+ \(rootless\), \d+ network namespaces\); it is kept as it is, with whatever you changed in it\.\n.*\nrebuild it from scratch \(your changes are lost\): add --force/);
    assert.equal(spawnSync('pgrep', ['-f', 'lab-engine-fixture-marker'], { encoding: 'utf8' }).stdout.trim(), marker, 'nothing was rebuilt');
    const listed = cli('status');
    assert.equal(listed.status, 0);
    assert.match(listed.stdout, /^● two-nodes: sandbox holder pid \d+ \(rootless\), 5 network namespaces$/m);
    const forced = cli('up', 'two-nodes', '--force');
    assert.equal(forced.status, 0, forced.stdout + forced.stderr);
    assert.notEqual(spawnSync('pgrep', ['-f', 'lab-engine-fixture-marker'], { encoding: 'utf8' }).stdout.trim(), marker, 'the lab was rebuilt');
  } finally {
    const removed = cli('down', 'two-nodes');
    assert.equal(removed.status, 0);
    assert.match(removed.stdout, /^removed the sandbox \(holder pid \d+, rootless\)$/m);
    assert.match(removed.stdout, /^removed 5 network namespaces: node1, node2, pod-a, pod-b, pod-c$/m);
    assert.match(removed.stdout, /^removed \d+ process(es)? in it: .*sleep/m);
  }
  const none = cli('status');
  assert.match(none.stdout, /^no lab is up in this checkout$/m);
  const again = cli('down', 'two-nodes');
  assert.match(again.stdout, /^lab two-nodes was not up: nothing to remove$/m);
});

test("namespace numbers are reused by the kernel: a record naming another lab's namespaces kills nothing of it", async () => {
  // Lab A is up. Lab B's stale record names A's namespaces (as if B's had been freed and their
  // numbers given to A's), with B's own token: B's down must leave A alone.
  const a = await loadLab('two-nodes', { labsDir: engineLabs });
  const b = await loadLab('with-daemon', { labsDir: engineLabs });
  assert.equal((await up(a)).ok, true);
  try {
    const record = JSON.parse(readFileSync(path.join(labStateDir(a), 'sandbox.json'), 'utf8')) as Record<string, unknown>;
    const markerBefore = spawnSync('pgrep', ['-f', 'lab-engine-fixture-marker'], { encoding: 'utf8' }).stdout.trim();
    writeFileSync(path.join(labStateDir(b), 'sandbox.json'), JSON.stringify({ ...record, pid: 999_999_999, token: 'cd'.repeat(16) }));
    const result = await down(b);
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.equal((await status(a)).up, true, 'lab A is still up');
    assert.equal(spawnSync('pgrep', ['-f', 'lab-engine-fixture-marker'], { encoding: 'utf8' }).stdout.trim(), markerBefore, "lab A's processes survived");
  } finally {
    await down(a);
  }
});
