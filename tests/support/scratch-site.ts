/**
 * A throwaway copy of the site with only the pages a test gives it, for build tests that must
 * not touch the real content/ folder. It lives inside the project (tests/.scratch/, ignored by git)
 * so that packages resolve from the project's node_modules: a symlinked node_modules confuses Vite.
 */
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

const project = resolve(import.meta.dirname, '../..');

export interface BuildResult {
  code: number | null;
  output: string;
  dir: string;
}

export async function scratchSite(pages: Record<string, string>): Promise<{ dir: string; build: (env?: Record<string, string>) => Promise<BuildResult>; remove: () => Promise<void> }> {
  await mkdir(join(project, 'tests/.scratch'), { recursive: true });
  const dir = await mkdtemp(join(project, 'tests/.scratch/site-'));
  for (const entry of ['astro.config.mjs', 'tsconfig.json', 'package.json', 'src', 'public', 'labs']) {
    await cp(join(project, entry), join(dir, entry), { recursive: true });
  }
  await cp(join(project, 'content/_diagrams'), join(dir, 'content/_diagrams'), { recursive: true });
  const minimal = {
    'index.mdx': '---\ntitle: Home\ndescription: Home page.\n---\n\nHome.\n',
    'running-the-labs.mdx': '---\ntitle: Running the labs\ndescription: Labs.\n---\n\nLabs.\n',
    ...pages,
  };
  for (const [path, text] of Object.entries(minimal)) {
    await mkdir(dirname(join(dir, 'content', path)), { recursive: true });
    await writeFile(join(dir, 'content', path), text);
  }
  const build = (env: Record<string, string> = {}) =>
    new Promise<BuildResult>((resolvePromise) => {
      const child = spawn(process.execPath, [join(project, 'node_modules/astro/bin/astro.mjs'), 'build'], {
        cwd: dir,
        env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1', FORCE_COLOR: '0', ...env },
      });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      child.on('close', (code) => resolvePromise({ code, output, dir }));
    });
  return { dir, build, remove: () => rm(dir, { recursive: true, force: true }) };
}
