/**
 * Builds the live client (src/components/lab/client/live.ts and the chunks it imports on demand:
 * the terminal, xterm's CSS) into `<dist>/_lab/`. It is not part of any page: only the lab
 * server injects it, so the static site ships none of it.
 */
import path from 'node:path';
import { build } from 'vite';
import { repoRoot } from '../lab/paths.ts';

const root = repoRoot;
export const CLIENT_ENTRY = path.join(root, 'src/components/lab/client/live.ts');

export async function buildLiveClient(distDir: string, base: string): Promise<void> {
  await build({
    configFile: false,
    root,
    base: `${base.replace(/\/?$/, '/')}_lab/`,
    logLevel: 'warn',
    publicDir: false,
    build: {
      outDir: path.join(distDir, '_lab'),
      emptyOutDir: true,
      assetsDir: '',
      target: 'es2022',
      modulePreload: { polyfill: false },
      reportCompressedSize: false,
      rolldownOptions: {
        input: { live: CLIENT_ENTRY },
        output: { entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js', assetFileNames: '[name]-[hash][extname]' },
      },
    },
  });
}
