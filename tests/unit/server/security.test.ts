/**
 * Attacks on a running lab server (127.0.0.1, random port, the real engine on a fixture sandbox lab):
 * every refusal the server promises, and that no process survives a lost client.
 */
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { authed, connect, engine, httpGet, pollUntil, processesWith, startTestServer, type Client } from './helpers.ts';
import type { LabServer } from '../../../src/server/server.ts';
import { MAX_CONNECTIONS } from '../../../src/server/server.ts';
import { MAX_MESSAGE_BYTES } from '../../../src/contract/protocol.ts';

const LONG_MARKER = '31.4159';
let server: LabServer;

before(async () => {
  server = await startTestServer({ authTimeoutMs: 500 });
});
after(async () => {
  await server.close();
  const lab = await engine.load('lab-fixture');
  if (lab) await engine.down(lab, { onEvent: () => {}, signal: new AbortController().signal });
});

const refusedWith = async (promise: Promise<Client>) => {
  const error = await promise.then(
    () => assert.fail('the upgrade was accepted'),
    (e: { status?: number }) => e,
  );
  return error.status;
};

describe('HTTP', () => {
  test('a foreign Host is refused (DNS rebinding)', async () => {
    const res = await httpGet(server, '/', `evil.example:${server.port}`);
    assert.equal(res.status, 421);
    assert.doesNotMatch(res.body, /lab-server-config/);
  });

  test('a Host naming another port is refused', async () => {
    assert.equal((await httpGet(server, '/', `127.0.0.1:${server.port + 1}`)).status, 421);
  });

  test('lab pages carry the token, other pages do not', async () => {
    const lab = await httpGet(server, '/');
    assert.equal(lab.status, 200);
    assert.ok(lab.body.includes(server.token), 'token injected into a lab page');
    assert.match(lab.body, /<script type="module" src="\/_lab\/live\.js"><\/script><\/head>/);
    assert.equal(lab.headers.get('cache-control'), 'no-store');
    const plain = await httpGet(server, '/plain');
    assert.equal(plain.status, 200);
    assert.ok(!plain.body.includes(server.token));
  });

  test('localhost is our own name too', async () => {
    assert.equal((await httpGet(server, '/', `localhost:${server.port}`)).status, 200);
  });

  test('paths cannot leave the built site', async () => {
    for (const p of ['/../package.json', '/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fetc%2fpasswd']) {
      const res = await httpGet(server, p);
      assert.equal(res.status, 404, p);
      assert.doesNotMatch(res.body, /root:|"name"/);
    }
  });
});

describe('upgrade', () => {
  test('a foreign Origin is refused (cross-site WebSocket hijacking)', async () => {
    assert.equal(await refusedWith(connect(server, { origin: 'http://evil.example' })), 403);
    assert.equal(await refusedWith(connect(server, { origin: `http://evil.example:${server.port}` })), 403);
  });

  test('a missing Origin is refused', async () => {
    assert.equal(await refusedWith(connect(server, { origin: null })), 403);
  });

  test('an Origin of our other name is refused (origin must equal Host)', async () => {
    assert.equal(await refusedWith(connect(server, { origin: `http://localhost:${server.port}` })), 403);
  });

  test('a foreign Host is refused even with a matching Origin', async () => {
    assert.equal(await refusedWith(connect(server, { host: `evil.example:${server.port}` })), 421);
  });

  test('other paths are not upgraded', async () => {
    await assert.rejects(connect(server, { path: '/other' }));
  });
});

describe('token', () => {
  test('a first message that is not auth closes the socket', async () => {
    const client = await connect(server);
    client.send({ type: 'run', lab: 'lab-fixture', step: 'echo-ok' });
    const { code } = await client.closed;
    assert.equal(code, 4401);
    assert.ok(client.messages.some((m) => m.type === 'error' && m.code === 'unauthorized'));
    assert.ok(!client.messages.some((m) => m.type === 'op'), 'nothing ran');
  });

  test('a wrong token closes the socket', async () => {
    const client = await connect(server);
    client.send({ type: 'auth', token: server.token.slice(0, -1) + (server.token.endsWith('A') ? 'B' : 'A') });
    assert.equal((await client.closed).code, 4401);
  });

  test('a socket that never authenticates is closed', async () => {
    const client = await connect(server);
    assert.equal((await client.closed).code, 4401);
  });

  test('the right token gets ready with the list of labs', async () => {
    const client = await authed(server);
    const ready = client.messages.find((m) => m.type === 'ready');
    assert.ok(ready && ready.type === 'ready' && ready.labs.includes('lab-fixture'));
    client.ws.close();
  });
});

describe('messages', () => {
  test('an oversized message closes the socket (1009)', async () => {
    const client = await authed(server);
    client.send({ type: 'shell-input', shell: 1, data: 'x'.repeat(MAX_MESSAGE_BYTES + 1) });
    assert.equal((await client.closed).code, 1009);
  });

  test('malformed messages are refused one by one; the socket stays usable', async () => {
    const client = await authed(server);
    const bad = [
      'not json',
      '[]',
      '{"type":"format-disk"}',
      '{"type":"run","lab":"lab-fixture","step":"echo-ok","extra":1}',
      '{"type":"run","lab":"../../etc","step":"x"}',
      '{"type":"shell-input","shell":1,"data":42}',
    ];
    for (const raw of bad) client.send(raw);
    client.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    await pollUntil(() => client.messages.filter((m) => m.type === 'error' && m.code === 'bad-message').length === bad.length + 1, 3000);
    assert.equal(client.messages.filter((m) => m.type === 'error' && m.code === 'bad-message').length, bad.length + 1);
    client.send({ type: 'run', lab: 'no-such-lab', step: 'x' });
    await client.waitFor((m) => m.type === 'error' && m.code === 'unknown-lab');
    client.ws.close();
  });

  test('unknown lab and step ids are refused', async () => {
    const client = await authed(server);
    client.send({ type: 'up', lab: 'no-such-lab' });
    const lab = await client.waitFor((m) => m.type === 'error' && m.code === 'unknown-lab');
    assert.match((lab as { message: string }).message, /no-such-lab/);
    client.send({ type: 'run', lab: 'lab-fixture', step: 'no-such-step' });
    await client.waitFor((m) => m.type === 'error' && m.code === 'unknown-step');
    client.send({ type: 'shell-input', shell: 999, data: 'ls\r' });
    await client.waitFor((m) => m.type === 'error' && m.code === 'unknown-shell');
    client.ws.close();
  });
});

describe('load', () => {
  test(`50 concurrent connections: ${MAX_CONNECTIONS} served, the rest refused, the server recovers`, async () => {
    const attempts = await Promise.allSettled(Array.from({ length: 50 }, () => authed(server)));
    const ok = attempts.filter((a): a is PromiseFulfilledResult<Client> => a.status === 'fulfilled').map((a) => a.value);
    const refused = attempts.filter((a) => a.status === 'rejected');
    assert.equal(ok.length, MAX_CONNECTIONS);
    assert.ok(refused.every((r) => (r as PromiseRejectedResult).reason.status === 503));
    for (const c of ok) c.ws.close();
    await Promise.all(ok.map((c) => c.closed));
    assert.equal((await httpGet(server, '/')).status, 200);
    const again = await authed(server);
    again.ws.close();
  });
});

describe('runs', () => {
  test('a check passes and a failing check reports its hint', async () => {
    const client = await authed(server);
    client.send({ type: 'run', lab: 'lab-fixture', step: 'echo-ok' });
    const ended = await client.waitFor((m) => m.type === 'op' && m.step === 'echo-ok' && m.state === 'ended', 20_000);
    assert.equal(ended.type === 'op' && ended.status, 'passed');
    assert.ok(client.messages.some((m) => m.type === 'event' && m.event.type === 'output' && m.event.data.includes('hello-from-fixture')));
    client.send({ type: 'run', lab: 'lab-fixture', step: 'always-fails' });
    const failed = await client.waitFor((m) => m.type === 'op' && m.step === 'always-fails' && m.state === 'ended');
    assert.equal(failed.type === 'op' && failed.status, 'failed');
    const end = client.messages.find((m) => m.type === 'event' && m.event.type === 'end' && m.event.step === 'always-fails');
    assert.ok(end && end.type === 'event' && end.event.type === 'end' && /Fixture hint/.test(end.event.hint ?? ''));
    client.ws.close();
  });

  test('two clients, one lab: the second is told it is busy; cancel ends the step and its processes', async () => {
    const a = await authed(server);
    const b = await authed(server);
    a.send({ type: 'run', lab: 'lab-fixture', step: 'long' });
    await a.waitFor((m) => m.type === 'event' && m.event.type === 'output' && m.event.data.includes('long-started'), 20_000);
    b.send({ type: 'run', lab: 'lab-fixture', step: 'echo-ok' });
    const busy = await b.waitFor((m) => m.type === 'error' && m.code === 'busy');
    assert.match((busy as { message: string }).message, /busy with step "long"/);
    b.send({ type: 'cancel', lab: 'lab-fixture' });
    await b.waitFor((m) => m.type === 'error' && /nothing of yours to cancel/.test(m.message));
    assert.ok(processesWith(LONG_MARKER).length > 0, 'the long step is still running after the other client tried to cancel it');
    a.send({ type: 'cancel', lab: 'lab-fixture' });
    const ended = await a.waitFor((m) => m.type === 'op' && m.step === 'long' && m.state === 'ended');
    assert.equal(ended.type === 'op' && ended.status, 'canceled');
    assert.ok(await pollUntil(() => processesWith(LONG_MARKER).length === 0, 5000), `left: ${processesWith(LONG_MARKER).join(' ')}`);
    a.ws.close();
    b.ws.close();
  });

  test('a client that disconnects mid-step leaves no process behind', async () => {
    const client = await authed(server);
    client.send({ type: 'run', lab: 'lab-fixture', step: 'long' });
    await client.waitFor((m) => m.type === 'event' && m.event.type === 'output' && m.event.data.includes('long-started'), 20_000);
    assert.ok(processesWith(LONG_MARKER).length > 0, 'the step runs');
    client.ws.terminate();
    assert.ok(await pollUntil(() => processesWith(LONG_MARKER).length === 0, 5000), `left: ${processesWith(LONG_MARKER).join(' ')}`);
    assert.ok(await pollUntil(() => server.runs.busyLabs().length === 0, 2000), 'the lab is free again');
  });

  test('a free shell echoes input and leaves nothing when closed', async () => {
    const client = await authed(server);
    client.send({ type: 'shell-open', lab: 'lab-fixture', target: 'host', cols: 80, rows: 24 });
    const opened = await client.waitFor((m) => m.type === 'shell-opened', 10_000);
    const shell = (opened as { shell: number }).shell;
    client.send({ type: 'shell-input', shell, data: 'sleep 27.1828 & echo answer=$((6*7))\r' });
    await client.waitFor((m) => m.type === 'shell-output' && /answer=42/.test(client.messages.filter((x) => x.type === 'shell-output').map((x) => (x as { data: string }).data).join('')));
    assert.ok(await pollUntil(() => processesWith('27.1828').length > 0, 3000), 'the background job runs');
    client.ws.terminate();
    assert.ok(await pollUntil(() => processesWith('27.1828').length === 0, 5000), 'the shell and its job are gone');
  });
});
