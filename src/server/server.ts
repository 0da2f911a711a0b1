/**
 * The local lab server: the built guide and the lab WebSocket on one loopback port.
 * Every HTTP request passes the Host check (DNS rebinding); pages holding a lab component get
 * the live config injected; the WebSocket endpoint is in endpoint.ts.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { hostAllowed, newToken } from './guard.ts';
import { serveStatic } from './static.ts';
import { injectLiveConfig } from './inject.ts';
import { attachLabEndpoint } from './endpoint.ts';
import { CLIENT_PATH, WS_PATH } from '../contract/live.ts';
import type { LabRuns } from './runs.ts';
import type { LabEngine } from './engine.ts';

export { MAX_CONNECTIONS } from './endpoint.ts';

export interface LabServerOptions {
  /** The built site. */
  distDir: string;
  /** Site base path, e.g. `/`. */
  base?: string;
  /** 0 picks a free port (tests). */
  port: number;
  engine: LabEngine;
  /** Fixed token (tests); default: random per start. */
  token?: string;
  log?: (line: string) => void;
  /** How long a new socket may take to authenticate (tests shorten it). */
  authTimeoutMs?: number;
}

export interface LabServer {
  url: string;
  port: number;
  token: string;
  runs: LabRuns;
  /** Stops accepting, cancels every run, closes every session (shells included). */
  close(): Promise<void>;
}

export async function startLabServer(options: LabServerOptions): Promise<LabServer> {
  const token = options.token ?? newToken();
  const base = (options.base ?? '/').replace(/\/?$/, '/');
  let port = options.port;
  const clientSrc = `${base}${CLIENT_PATH}`;

  const server = http.createServer((req, res) => {
    if (!hostAllowed(req.headers.host, port)) {
      res.writeHead(421, { 'content-type': 'text/plain; charset=utf-8' }).end('This server only answers to 127.0.0.1 and localhost.\n');
      return;
    }
    serveStatic(req, res, {
      root: options.distDir,
      base,
      transformHtml: (html) => injectLiveConfig(html, { token, ws: WS_PATH }, clientSrc),
    }).catch((error: unknown) => {
      options.log?.(`error serving ${req.url}: ${(error as Error).message}`);
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  // The endpoint takes upgrades to WS_PATH; nothing else on this server speaks WebSocket.
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex) => {
    if (new URL(req.url ?? '/', 'http://x').pathname !== WS_PATH) socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
  const endpoint = attachLabEndpoint(server, { engine: options.engine, token, port: () => port, log: options.log, authTimeoutMs: options.authTimeoutMs });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}${base}`,
    port,
    token,
    runs: endpoint.runs,
    async close() {
      server.close();
      server.closeAllConnections();
      await endpoint.close();
    },
  };
}
