/**
 * The checks that stand between a web page and a shell on the reader's machine.
 * - Host: a DNS-rebinding page reaches us under its own name, so only our loopback names pass.
 * - Origin: a foreign page may open a WebSocket to 127.0.0.1; browsers always send its Origin.
 * - Token: random per start, delivered only inside pages this server serves, compared in
 *   constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The Host header values this server answers to (port always written, as browsers send it). */
export function allowedHosts(port: number): Set<string> {
  const names = ['127.0.0.1', 'localhost'];
  const hosts = new Set(names.map((name) => `${name}:${port}`));
  if (port === 80) for (const name of names) hosts.add(name);
  return hosts;
}

/** True if the request's Host header names this server. */
export function hostAllowed(host: string | undefined, port: number): boolean {
  return typeof host === 'string' && allowedHosts(port).has(host.toLowerCase());
}

/**
 * True if an upgrade's Origin is this server's own origin: same scheme, name and port as the
 * (already validated) Host. A missing Origin is refused: every browser sends one on WebSockets,
 * and non-browser clients can send it too.
 */
export function originAllowed(origin: string | undefined, host: string | undefined, port: number): boolean {
  if (!origin || !hostAllowed(host, port)) return false;
  return origin.toLowerCase() === `http://${host!.toLowerCase()}`;
}

/** A fresh random token: 32 bytes, base64url. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison (hashing first makes both sides the same length). */
export function tokenMatches(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
