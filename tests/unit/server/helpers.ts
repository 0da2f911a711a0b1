/** Shared by the server tests: a running server on a random port, and a scripted client. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { startLabServer, type LabServer } from '../../../src/server/server.ts';
import { createEngine } from '../../../src/server/engine.ts';
import type { ServerMessage } from '../../../src/contract/protocol.ts';

export const fixturesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/labs');
export const engine = createEngine([fixturesDir]);

/** A dist folder with one lab page and one plain page. */
export function tinyDist(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lab-dist-'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><html><head><title>x</title></head><body><section data-klab="step"></section></body></html>');
  writeFileSync(path.join(dir, 'plain.html'), '<!doctype html><html><head><title>plain</title></head><body>no lab</body></html>');
  writeFileSync(path.join(dir, '404.html'), '<!doctype html><html><head></head><body>missing</body></html>');
  return dir;
}

export async function startTestServer(opts: { authTimeoutMs?: number } = {}): Promise<LabServer> {
  return startLabServer({ distDir: tinyDist(), port: 0, engine, authTimeoutMs: opts.authTimeoutMs });
}

export interface Client {
  ws: WebSocket;
  messages: ServerMessage[];
  send(message: unknown): void;
  /** Resolves with the first message (already received or future) that matches. */
  waitFor(match: (m: ServerMessage) => boolean, timeoutMs?: number): Promise<ServerMessage>;
  closed: Promise<{ code: number; reason: string }>;
}

/** Opens a socket; rejects with the HTTP status if the upgrade is refused. */
export function connect(server: LabServer, opts: { origin?: string | null; host?: string; path?: string } = {}): Promise<Client> {
  const host = opts.host ?? `127.0.0.1:${server.port}`;
  const origin = opts.origin === undefined ? `http://${host}` : opts.origin;
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}${opts.path ?? '/lab/ws'}`, {
    headers: { host, ...(origin ? { origin } : {}) },
  });
  const messages: ServerMessage[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (data) => {
    messages.push(JSON.parse(data.toString()) as ServerMessage);
    for (const w of waiters) w();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  const client: Client = {
    ws,
    messages,
    closed,
    send: (message) => ws.send(typeof message === 'string' ? message : JSON.stringify(message)),
    waitFor(match, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.find(match);
          if (found) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(found);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching message in ${timeoutMs} ms; got: ${JSON.stringify(messages).slice(0, 2000)}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`refused: ${res.statusCode}`), { status: res.statusCode })));
    ws.once('error', reject);
  });
}

export async function authed(server: LabServer): Promise<Client> {
  const client = await connect(server);
  client.send({ type: 'auth', token: server.token });
  await client.waitFor((m) => m.type === 'ready');
  return client;
}


/** Polls until `fn` returns true or the time is up; returns the last value. */
export async function pollUntil(fn: () => boolean, timeoutMs: number, intervalMs = 50): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (fn()) return true;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  return fn();
}

export async function httpGet(server: LabServer, pathname: string, host?: string): Promise<{ status: number; body: string; headers: Headers }> {
  // fetch() forbids setting Host: use node:http.
  const http = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, path: pathname, headers: { host: host ?? `127.0.0.1:${server.port}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: new Headers(res.headers as Record<string, string>) }));
    });
    req.on('error', reject);
    req.end();
  });
}

export { processesWith } from '../../support/procs.ts';
