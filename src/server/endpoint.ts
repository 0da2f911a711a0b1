/**
 * The lab WebSocket endpoint, attachable to any Node HTTP server: the lab server's own, or the
 * Astro dev server's (see astro-integration.ts). Upgrades pass the Host check, the Origin check and
 * a connection cap before a session starts; the session then waits for the token.
 */
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { hostAllowed, originAllowed } from './guard.ts';
import { MAX_MESSAGE_BYTES } from '../contract/protocol.ts';
import { WS_PATH } from '../contract/live.ts';
import { LabRuns } from './runs.ts';
import { Session } from './session.ts';
import type { LabEngine } from './engine.ts';

/** Open WebSockets at most (authenticated or not): a page needs one, a reader has a few tabs. */
export const MAX_CONNECTIONS = 32;

export interface EndpointOptions {
  engine: LabEngine;
  token: string;
  /** The port the server listens on (read at each upgrade: it may be known only after listen). */
  port: () => number;
  log?: (line: string) => void;
  authTimeoutMs?: number;
}

export interface LabEndpoint {
  runs: LabRuns;
  /** Cancels every run, ends every session (and its shells). */
  close(): Promise<void>;
}

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${reason.length + 1}\r\n\r\n${reason}\n`);
}

export function attachLabEndpoint(server: http.Server, options: EndpointOptions): LabEndpoint {
  const runs = new LabRuns(options.engine);
  const sessions = new Set<Session>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false });

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    // Other upgrades (e.g. Vite's HMR socket in dev) belong to someone else.
    if (pathname !== WS_PATH) return;
    const { host, origin } = req.headers;
    const port = options.port();
    if (!hostAllowed(host, port)) return refuse(socket, 421, 'Misdirected Request');
    if (!originAllowed(origin, host, port)) return refuse(socket, 403, 'Forbidden');
    if (wss.clients.size >= MAX_CONNECTIONS) return refuse(socket, 503, 'Service Unavailable');
    wss.handleUpgrade(req, socket, head, (ws) => {
      const session = new Session(ws, { token: options.token, engine: options.engine, runs, log: options.log, authTimeoutMs: options.authTimeoutMs });
      sessions.add(session);
      void session.closed.then(() => sessions.delete(session));
    });
  });

  return {
    runs,
    async close() {
      await runs.cancelAll();
      for (const ws of wss.clients) ws.terminate();
      await Promise.all([...sessions].map((s) => s.closed));
      wss.close();
    },
  };
}
