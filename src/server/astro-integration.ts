/**
 * The lab pieces of the site build and dev server:
 * - build: writes the live client to dist/_lab/ (only the lab server injects it into pages);
 * - dev (`npm run dev`): the same /lab/ws endpoint on Astro's dev server, and lab pages get the
 *   live config, so contributors see Run buttons as readers of `npm start` do;
 * - LAB_EXTRA_DIR set (browser tests): a page at /lab-fixtures/ showing every fixture lab.
 */
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type http from 'node:http';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { buildLiveClient } from './client-build.ts';
import { attachLabEndpoint } from './endpoint.ts';
import { WS_PATH } from '../contract/live.ts';
import { createEngine } from './engine.ts';
import { newToken } from './guard.ts';
import { injectLiveConfig } from './inject.ts';
import { repoRoot } from '../lab/paths.ts';

const root = repoRoot;

export function labIntegration(): AstroIntegration {
  let base = '/';
  return {
    name: 'k8s-guide-labs',
    hooks: {
      'astro:config:setup': ({ config, injectRoute }) => {
        base = config.base ?? '/';
        if (process.env.LAB_EXTRA_DIR) {
          injectRoute({ pattern: '/lab-fixtures', entrypoint: path.join(root, 'src/components/lab/FixturesPage.astro'), prerender: true });
        }
      },
      'astro:server:setup': ({ server, logger }) => {
        const httpServer = server.httpServer as http.Server | null;
        if (!httpServer) return;
        const token = newToken();
        const extra = process.env.LAB_EXTRA_DIR ? [path.resolve(process.env.LAB_EXTRA_DIR)] : [];
        const port = () => (httpServer.address() as AddressInfo | null)?.port ?? 0;
        const endpoint = attachLabEndpoint(httpServer, { engine: createEngine(extra), token, port, log: (line) => logger.info(line) });
        httpServer.on('close', () => void endpoint.close());
        const clientSrc = `${base.replace(/\/?$/, '/')}src/components/lab/client/live.ts`;
        server.middlewares.use((_req, res, next) => {
          // Buffer HTML responses so the config can go into <head>; everything else passes through.
          const write = res.write.bind(res);
          const end = res.end.bind(res);
          const chunks: Buffer[] = [];
          const isHtml = () => String(res.getHeader('content-type') ?? '').startsWith('text/html');
          res.write = ((chunk: unknown, ...rest: unknown[]) => {
            if (!isHtml()) return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
            chunks.push(Buffer.from(chunk as string | Uint8Array));
            return true;
          }) as typeof res.write;
          res.end = ((chunk?: unknown, ...rest: unknown[]) => {
            if (!isHtml()) return (end as (...a: unknown[]) => typeof res)(chunk, ...rest);
            if (chunk && typeof chunk !== 'function') chunks.push(Buffer.from(chunk as string | Uint8Array));
            const html = injectLiveConfig(Buffer.concat(chunks).toString('utf8'), { token, ws: WS_PATH }, clientSrc);
            if (!res.headersSent) res.removeHeader('content-length');
            return end(html);
          }) as typeof res.end;
          next();
        });
        logger.info(`lab endpoint ready at ${WS_PATH} (pages with labs get Run buttons)`);
      },
      'astro:build:done': async ({ dir, logger }) => {
        const started = Date.now();
        await buildLiveClient(fileURLToPath(dir), base);
        logger.info(`live lab client built in ${Date.now() - started} ms (dist/_lab/, injected only by the lab server)`);
      },
    },
  };
}
