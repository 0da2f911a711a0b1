/**
 * Serves the built site from `dist/`. Paths are resolved inside the root only (no `..` escape);
 * a directory serves its index.html; a miss serves 404.html with status 404.
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.cast': 'application/x-asciicast',
  '.wasm': 'application/wasm',
  '.pf_meta': 'application/octet-stream',
  '.pf_index': 'application/octet-stream',
  '.pf_fragment': 'application/octet-stream',
  '.pagefind': 'application/octet-stream',
};

export interface StaticOptions {
  root: string;
  /** Site base path, e.g. `/` or `/guide/`. */
  base: string;
  /** Rewrites an HTML page before it is sent (the live server injects its config). */
  transformHtml?: (html: string) => string;
}

/** Maps a URL path to a file inside root, or undefined if it would escape root. */
export function resolveInside(root: string, base: string, urlPath: string): string | undefined {
  let pathname: string;
  try {
    pathname = decodeURIComponent(urlPath.split('?')[0]!.split('#')[0]!);
  } catch {
    return undefined;
  }
  if (pathname.includes('\0')) return undefined;
  const baseNoSlash = base.replace(/\/$/, '');
  if (baseNoSlash && pathname.startsWith(baseNoSlash)) pathname = pathname.slice(baseNoSlash.length) || '/';
  const file = path.resolve(root, '.' + path.posix.normalize('/' + pathname));
  if (file !== root && !file.startsWith(root + path.sep)) return undefined;
  return file;
}

async function findFile(file: string): Promise<string | undefined> {
  for (const candidate of [file, path.join(file, 'index.html'), `${file}.html`]) {
    const info = await stat(candidate).catch(() => undefined);
    if (info?.isFile()) return candidate;
  }
  return undefined;
}

export async function serveStatic(req: IncomingMessage, res: ServerResponse, options: StaticOptions): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  const root = path.resolve(options.root);
  const wanted = resolveInside(root, options.base, req.url ?? '/');
  let file = wanted && (await findFile(wanted));
  let status = 200;
  if (!file) {
    status = 404;
    file = await findFile(path.join(root, '404.html'));
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
  }
  const ext = path.extname(file);
  const type = TYPES[ext] ?? 'application/octet-stream';
  const headers: Record<string, string> = {
    'content-type': type,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    // Hashed assets never change; pages and our fixed-name scripts must always be revalidated.
    'cache-control': file.includes(`${path.sep}_astro${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
  };
  if (ext === '.html') {
    let html = await readFile(file, 'utf8');
    if (options.transformHtml) {
      html = options.transformHtml(html);
      // The page may carry the session token: never cache it, never let another site frame it.
      headers['cache-control'] = 'no-store';
      headers['x-frame-options'] = 'DENY';
    }
    const body = Buffer.from(html);
    headers['content-length'] = String(body.length);
    res.writeHead(status, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
    return;
  }
  const info = await stat(file);
  headers['content-length'] = String(info.size);
  res.writeHead(status, headers);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file).pipe(res);
}
