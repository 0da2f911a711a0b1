/**
 * A plain static file server for tests: serves a folder the way GitHub Pages would
 * (directory -> index.html, 404.html for misses, gzip for text when the client accepts it, as
 * static hosts do: page-weight and Lighthouse figures should count compressed bytes).
 * Usage: node tests/support/static-server.ts <dir> <port>
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { createGzip } from 'node:zlib';

const [dirArg = 'dist', portArg = '4399'] = process.argv.slice(2);
const root = resolve(dirArg);
const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json', '.xml': 'application/xml',
  '.woff2': 'font/woff2', '.wasm': 'application/wasm', '.txt': 'text/plain', '.cast': 'text/plain',
};

async function resolveFile(urlPath: string): Promise<string | undefined> {
  const path = normalize(join(root, decodeURIComponent(urlPath)));
  if (!path.startsWith(root)) return undefined;
  for (const candidate of [path, join(path, 'index.html')]) {
    const info = await stat(candidate).catch(() => undefined);
    if (info?.isFile()) return candidate;
  }
  return undefined;
}

createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const file = await resolveFile(url.pathname);
  const status = file ? 200 : 404;
  const body = file ?? join(root, '404.html');
  const type = types[extname(body)] ?? 'application/octet-stream';
  const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')) && /^(text\/|application\/(json|xml)|image\/svg)/.test(type);
  res.writeHead(status, { 'content-type': type, ...(gzip ? { 'content-encoding': 'gzip', vary: 'accept-encoding' } : {}) });
  const stream = createReadStream(body).on('error', () => res.end());
  (gzip ? stream.pipe(createGzip()) : stream).pipe(res);
}).listen(Number(portArg), '127.0.0.1', () => console.log(`serving ${root} on http://127.0.0.1:${portArg}/`));
