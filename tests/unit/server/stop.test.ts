/**
 * Ctrl-C on `npm start`: the real start script (node src/server/start.ts) on a random port, a lab
 * brought up through its WebSocket, then SIGINT. It must tear the lab down, leave no process
 * behind and exit 0; a second SIGINT during a slow teardown must exit at once (130) and print the
 * command that removes what is left. The labs' state lives in a temporary folder of its own
 * (K8S_NET_LABS_STATE), so other tests using the same labs are not disturbed.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { groupMembers } from '../../support/procs.ts';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { authed, fixturesDir, httpGet, pollUntil, processesWith, tinyDist } from './helpers.ts';
import { createEngine } from '../../../src/server/engine.ts';
import { CONFIG_ID } from '../../../src/contract/live.ts';
import { sandboxBackend } from '../../../src/lab/backends/sandbox.ts';
import { labStateDir, type Lab } from '../../../src/lab/index.ts';
import type { LabServer } from '../../../src/server/server.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const slowDir = path.join(root, 'tests/fixtures/server-stop-labs');
const SLOW_MARKER = '16.1803';
const stateDir = mkdtempSync(path.join(tmpdir(), 'lab-stop-state-'));
// The engine calls in this process (status checks, cleanup) read the same state as the server's.
process.env.K8S_NET_LABS_STATE = stateDir;
const dist = tinyDist();

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** What the test clients need of a server: its port and the token from a served lab page. */
  server: LabServer;
}

/** Starts `node src/server/start.ts` in a process group of its own; resolves once it serves. */
async function startServer(extraDir: string): Promise<Started> {
  const child = spawn(process.execPath, [path.join(root, 'src/server/start.ts')], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: '0', LAB_DIST: dist, LAB_SKIP_BUILD: '1', LAB_EXTRA_DIR: extraDir, K8S_NET_LABS_STATE: stateDir },
  });
  // Registered before the first await: a server that never serves is still killed in after().
  children.push(child);
  let text = '';
  child.stdout!.on('data', (c: Buffer) => (text += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (text += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const served = await pollUntil(() => /live labs: http:\/\/127\.0\.0\.1:\d+\//.test(text), 20_000);
  assert.ok(served, `the server did not start: ${text}`);
  assert.doesNotMatch(text, /Building the guide/, 'LAB_SKIP_BUILD=1 must not build');
  const port = Number(/live labs: http:\/\/127\.0\.0\.1:(\d+)\//.exec(text)![1]);
  const page = await httpGet({ port } as LabServer, '/');
  const config = new RegExp(`<script type="application/json" id="${CONFIG_ID}">([^<]+)</script>`).exec(page.body);
  assert.ok(config, 'the lab page carries the live config');
  const { token } = JSON.parse(config[1]!) as { token: string };
  return { child, output: () => text, exited, server: { port, token } as LabServer };
}


function holderPid(lab: Lab): number | undefined {
  try {
    return (JSON.parse(readFileSync(path.join(labStateDir(lab), 'sandbox.json'), 'utf8')) as { pid: number }).pid;
  } catch {
    return undefined;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

let running: Started | undefined;
// Every server started, not only the last: a test that fails before its SIGINT would otherwise
// leave its server running after the suite (it did, under load).
const children: ChildProcess[] = [];

after(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) process.kill(-c.pid!, 'SIGKILL');
  // Whatever a failed test left up: remove the sandboxes without running their teardown again.
  for (const [dir, id] of [[fixturesDir, 'lab-fixture'], [slowDir, 'lab-slow-teardown']] as const) {
    const lab = await createEngine([dir]).load(id);
    if (lab) await sandboxBackend.down(lab, {});
  }
  rmSync(stateDir, { recursive: true, force: true });
  rmSync(dist, { recursive: true, force: true });
});

test('Ctrl-C tears down the lab the page brought up, leaves no process and exits 0', async () => {
  running = await startServer(fixturesDir);
  const { child, server } = running;
  const client = await authed(server);
  client.send({ type: 'up', lab: 'lab-fixture' });
  const up = await client.waitFor((m) => m.type === 'op' && m.op === 'up' && m.state === 'ended', 30_000);
  assert.equal(up.type === 'op' && up.ok, true, running.output());
  const engine = createEngine([fixturesDir]);
  const lab = (await engine.load('lab-fixture'))!;
  assert.equal(await engine.isUp(lab), true, 'the lab is up before Ctrl-C');
  const holder = holderPid(lab);
  assert.ok(holder && processAlive(holder), 'the sandbox holder runs');

  process.kill(child.pid!, 'SIGINT');
  const { code, signal } = await withTimeout(running.exited, 30_000, 'exit after SIGINT');
  const out = running.output();
  assert.equal(signal, null, out);
  assert.equal(code, 0, out);
  assert.match(out, /Tearing down lab-fixture/);
  assert.match(out, /lab-fixture: torn down/);
  assert.equal(await engine.isUp(lab), false, 'the engine says the lab is down');
  assert.equal(processAlive(holder), false, `the sandbox holder ${holder} is gone`);
  assert.ok(await pollUntil(() => groupMembers(child.pid!).length === 0, 2000), `left in the server's process group: ${groupMembers(child.pid!).join(' ')}`);
  await client.closed;
});

test('a second Ctrl-C during teardown exits at once and prints the command that removes the lab', async () => {
  running = await startServer(slowDir);
  const { child, server } = running;
  const client = await authed(server);
  client.send({ type: 'run', lab: 'lab-slow-teardown', step: 'echo-ok' });
  const ran = await client.waitFor((m) => m.type === 'op' && m.op === 'run' && m.state === 'ended', 30_000);
  assert.equal(ran.type === 'op' && ran.status, 'passed', running.output());

  process.kill(child.pid!, 'SIGINT');
  assert.ok(await pollUntil(() => processesWith(SLOW_MARKER).length > 0, 10_000), `the slow teardown did not start: ${running.output()}`);
  assert.equal(child.exitCode, null, 'still tearing down');
  process.kill(child.pid!, 'SIGINT');
  // The teardown sleeps 16 s: exiting well before that shows the second Ctrl-C did not wait for it.
  const { code } = await withTimeout(running.exited, 12_000, 'exit after the second SIGINT');
  const out = running.output();
  assert.equal(code, 130, out);
  assert.match(out, /Stopped without finishing teardown/);
  assert.match(out, /npm run lab -- down lab-slow-teardown --labs-dir tests\/fixtures\/server-stop-labs/);
  assert.ok(await pollUntil(() => groupMembers(child.pid!).length === 0, 2000), `left in the server's process group: ${groupMembers(child.pid!).join(' ')}`);
  // What it printed is true: the lab is still up, and the printed command's teardown is what ends it.
  const lab = (await createEngine([slowDir]).load('lab-slow-teardown'))!;
  assert.equal(await createEngine([slowDir]).isUp(lab), true, 'the lab was left up');
  await sandboxBackend.down(lab, {});
  assert.ok(await pollUntil(() => processesWith(SLOW_MARKER).length === 0, 5000), 'removing the sandbox ends its teardown too');
});

function processAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0]!);
  } catch {
    return false;
  }
}
