/**
 * `npm start`: build the guide if it is stale, then serve it with the lab endpoint on 127.0.0.1.
 * Env: PORT (default 4321); LAB_EXTRA_DIR (a second labs folder: browser tests use fixture labs);
 * LAB_DIST (the built site to serve, default dist/; rebuilt there when stale);
 * LAB_SKIP_BUILD=1 serves LAB_DIST as it is, stale or not (tests that bring their own small site).
 * Ctrl-C (SIGINT, or SIGTERM) cancels every run this server started, then tears down the labs it
 * brought up and exits 0 (1 if a teardown failed); a second Ctrl-C exits at once with 130 and
 * prints, for each lab still up, the command that removes it.
 */
import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { startLabServer } from './server.ts';
import { createEngine } from './engine.ts';
import { staleReason } from './stale.ts';
import { kindAvailability, sandboxAvailability } from './backends.ts';
import { siteSettings } from '../site/settings.ts';
import { defaultLabsDir } from '../lab/paths.ts';
import { repoRoot } from '../lab/paths.ts';

const root = repoRoot;
const distDir = path.resolve(root, process.env.LAB_DIST ?? 'dist');

function build(reason: string): Promise<void> {
  console.log(`Building the guide first (${reason}) ...`);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'node_modules/astro/bin/astro.mjs'), 'build', '--outDir', distDir], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) {
        console.log(`Built in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
        resolve();
      } else reject(new Error(`the build failed (exit ${code}); fix the error above, then run npm start again`));
    });
  });
}

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 4321);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT=${process.env.PORT}: expected a port number`);
  const extraDir = process.env.LAB_EXTRA_DIR ? path.resolve(process.env.LAB_EXTRA_DIR) : undefined;
  const reason = process.env.LAB_SKIP_BUILD === '1' ? undefined : staleReason(root, distDir, extraDir ? [extraDir] : []);
  if (reason) await build(reason);
  const engine = createEngine(extraDir ? [extraDir] : []);
  const server = await startLabServer({
    distDir,
    base: siteSettings.base,
    port,
    engine,
    log: (line) => console.log(`  ${new Date().toTimeString().slice(0, 8)} ${line}`),
  });
  const sandbox = sandboxAvailability();
  const kind = kindAvailability();
  console.log(`\nThe guide with live labs: ${server.url}`);
  console.log('Lab backends on this machine:');
  console.log(`  sandbox  ${sandbox.usable ? 'usable' : 'not usable'}: ${sandbox.detail}`);
  console.log(`  kind     ${kind.usable ? 'usable' : 'not usable'}: ${kind.detail}`);
  if (extraDir) console.log(`Extra labs from ${extraDir}`);
  console.log('Press Ctrl-C to stop (labs started from the page are torn down).\n');

  /** The command that removes a lab by hand (labs from LAB_EXTRA_DIR need their folder named). */
  const downCommand = (id: string) =>
    `npm run lab -- down ${id}${extraDir && !existsSync(path.join(defaultLabsDir, id)) ? ` --labs-dir ${path.relative(process.cwd(), extraDir) || '.'}` : ''}`;
  let stopping = false;
  /** Labs still to tear down once stopping has begun (until then: whatever the runs brought up). */
  let left: Set<string> | undefined;
  const stop = async () => {
    if (stopping) {
      console.log('\nStopped without finishing teardown.');
      for (const id of left ?? server.runs.started) console.log(`  still up: ${id}: remove it with  ${downCommand(id)}`);
      process.exit(130);
    }
    stopping = true;
    console.log('\nStopping: canceling runs (Ctrl-C again to exit at once) ...');
    await server.close();
    // Labs armed for live walks but started elsewhere stay up: only their tracing is removed.
    await engine.closeWalks();
    // Read after close: a start canceled by close still counts as brought up.
    left = new Set(server.runs.started);
    let failed = false;
    for (const id of [...left]) {
      console.log(`Tearing down ${id} (Ctrl-C again to leave it up) ...`);
      try {
        const lab = await engine.load(id);
        const result = lab ? await engine.down(lab, { onEvent: () => {}, signal: new AbortController().signal }) : undefined;
        if (result && !result.ok) throw new Error([...result.errors, result.left].filter(Boolean).join('; ') || 'teardown failed');
        left.delete(id);
        console.log(`  ${id}: torn down`);
      } catch (error) {
        failed = true;
        console.log(`  ${id}: teardown failed: ${(error as Error).message}\n  run: ${downCommand(id)}`);
      }
    }
    process.exit(failed ? 1 : 0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  const err = error as NodeJS.ErrnoException;
  if (err.code === 'EADDRINUSE') console.error(`Port ${process.env.PORT ?? 4321} is in use: stop the other server or set PORT, e.g. PORT=4322 npm start`);
  else console.error(err.message);
  process.exit(1);
});
