/**
 * `npm run dev` gets the same lab endpoint as `npm start`: the Astro dev server (random port, the
 * fixture labs, a state folder of its own) injects the live config into lab pages, and /lab/ws
 * runs a sandbox step for the page's token and origin and refuses a foreign origin.
 * The dev server runs in a process group of its own, killed whole at the end.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { groupMembers } from '../../support/procs.ts';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { authed, connect, fixturesDir, httpGet, pollUntil } from './helpers.ts';
import { createEngine } from '../../../src/server/engine.ts';
import { CONFIG_ID } from '../../../src/contract/live.ts';
import { sandboxBackend } from '../../../src/lab/backends/sandbox.ts';
import type { LabServer } from '../../../src/server/server.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const stateDir = mkdtempSync(path.join(tmpdir(), 'lab-dev-state-'));
process.env.K8S_NET_LABS_STATE = stateDir;

let dev: ChildProcess;
let output = '';
let server: LabServer;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}


before(async () => {
  const port = await freePort();
  dev = spawn(process.execPath, [path.join(root, 'node_modules/astro/bin/astro.mjs'), 'dev', '--host', '127.0.0.1', '--port', String(port)], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LAB_EXTRA_DIR: fixturesDir, K8S_NET_LABS_STATE: stateDir, ASTRO_TELEMETRY_DISABLED: '1', BROWSER: 'none' },
  });
  dev.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  dev.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const ready = await pollUntil(() => /lab endpoint ready at \/lab\/ws/.test(output) && new RegExp(`127\\.0\\.0\\.1:${port}`).test(output), 90_000, 200);
  assert.ok(ready, `the dev server did not start on ${port}: ${output.slice(-3000)}`);
  const page = await httpGet({ port } as LabServer, '/lab-fixtures/');
  assert.equal(page.status, 200, page.body.slice(0, 2000));
  const config = new RegExp(`<script type="application/json" id="${CONFIG_ID}">([^<]+)</script>`).exec(page.body);
  assert.ok(config, 'the dev server injects the live config into a lab page');
  assert.match(page.body, /<script type="module" src="\/src\/components\/lab\/client\/live\.ts"><\/script>/);
  const { token, ws } = JSON.parse(config[1]!) as { token: string; ws: string };
  assert.equal(ws, '/lab/ws');
  server = { port, token } as LabServer;
});

after(async () => {
  if (dev?.pid) {
    try {
      process.kill(-dev.pid, 'SIGTERM');
    } catch {
      // already gone
    }
    const gone = await pollUntil(() => groupMembers(dev.pid!).length === 0, 5000);
    if (!gone) for (const pid of groupMembers(dev.pid)) process.kill(pid, 'SIGKILL');
    assert.ok(await pollUntil(() => groupMembers(dev.pid!).length === 0, 3000), `left of the dev server: ${groupMembers(dev.pid).join(' ')}`);
  }
  const lab = await createEngine([fixturesDir]).load('lab-fixture');
  if (lab) await sandboxBackend.down(lab, {});
  rmSync(stateDir, { recursive: true, force: true });
});

test('the dev server runs a sandbox step over /lab/ws for the page token', async () => {
  const client = await authed(server);
  client.send({ type: 'run', lab: 'lab-fixture', step: 'echo-ok' });
  const ended = await client.waitFor((m) => m.type === 'op' && m.step === 'echo-ok' && m.state === 'ended', 30_000);
  assert.equal(ended.type === 'op' && ended.status, 'passed');
  assert.ok(client.messages.some((m) => m.type === 'event' && m.event.type === 'output' && m.event.data.includes('hello-from-fixture')), 'the step output arrived');
  client.ws.close();
  await client.closed;
});

test('the dev server refuses a foreign Origin, a foreign Host and a wrong token', async () => {
  const status = (p: Promise<unknown>) => p.then(() => assert.fail('the upgrade was accepted'), (e: { status?: number }) => e.status);
  assert.equal(await status(connect(server, { origin: 'http://evil.example' })), 403);
  assert.equal(await status(connect(server, { origin: null })), 403);
  assert.equal(await status(connect(server, { host: `evil.example:${server.port}` })), 421);
  const client = await connect(server);
  client.send({ type: 'auth', token: `${server.token}x` });
  assert.equal((await client.closed).code, 4401);
});
