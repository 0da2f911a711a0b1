/**
 * `npm test`: every test stage in order, each streamed as it runs, then one summary.
 * A failed stage does not stop the next ones (a reader fixing a chapter wants every failure at
 * once), except that the stages reading the production build need the build to have passed.
 *
 *   npm test                 all stages
 *   npm test -- unit e2e     only the named stages
 */
import { spawn } from 'node:child_process';

interface Stage {
  name: string;
  what: string;
  command: string[];
  needsBuild?: boolean;
}

const node = process.execPath;
const stages: Stage[] = [
  { name: 'types', what: 'TypeScript strict typecheck', command: ['npm', 'run', '--silent', 'typecheck'] },
  { name: 'unit', what: 'unit tests: site plugins, lab engine and its sandbox, packet walks, lab server', command: [node, '--test', '--test-concurrency=1', 'tests/unit/**/*.test.ts'] },
  { name: 'labs', what: 'static validation of every lab', command: [node, 'src/cli/main.ts', 'validate'] },
  { name: 'sandbox', what: 'every sandbox lab proved: each check and walk fails on each break, passes again, host untouched', command: [node, '--test', '--test-concurrency=1', 'tests/sandbox/*.test.ts'] },
  { name: 'build', what: 'production build of the guide', command: ['npm', 'run', '--silent', 'build'] },
  { name: 'site', what: 'checks on the built site: pages, metadata, links; bad input fails the build', command: [node, '--test', '--test-concurrency=1', 'tests/site/*.test.ts', 'tests/build/*.test.ts'], needsBuild: true },
  { name: 'e2e', what: 'browser tests in Chromium: navigation, search, themes, accessibility, labs in the page', command: ['npx', 'playwright', 'test'], needsBuild: true },
];

interface Outcome {
  stage: Stage;
  ok: boolean;
  skipped?: string;
  seconds: number;
  passed: number;
  failed: number;
}

/**
 * Test counts from a runner's closing summary. node:test prints "ℹ pass N", "ℹ fail N",
 * "ℹ cancelled N" (a test cut off when its file hung or its parent failed); Playwright prints
 * "N passed", "N failed", "N flaky", "N interrupted", "N did not run". A test that was cancelled,
 * interrupted or did not run counts as failed: it did not pass.
 */
export function counts(output: string): { passed: number; failed: number } {
  const num = (re: RegExp) => [...output.matchAll(re)].reduce((sum, m) => sum + Number(m[1]), 0);
  return {
    passed: num(/^ℹ pass (\d+)$/gm) + num(/^\s+(\d+) passed\b/gm),
    failed:
      num(/^ℹ (?:fail|cancelled) (\d+)$/gm) +
      num(/^\s+(\d+) (?:failed|flaky|interrupted|did not run)\b/gm),
  };
}

function runStage(stage: Stage): Promise<Outcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    const [file, ...args] = stage.command as [string, ...string[]];
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', FORCE_COLOR: process.stdout.isTTY ? '1' : '0' } });
    let output = '';
    const forward = (target: NodeJS.WriteStream) => (chunk: Buffer) => {
      output += chunk.toString();
      target.write(chunk);
    };
    child.stdout.on('data', forward(process.stdout));
    child.stderr.on('data', forward(process.stderr));
    child.on('close', (code) => {
      const clean = output.replace(/\x1b\[[0-9;]*m/g, '');
      resolve({ stage, ok: code === 0, seconds: (Date.now() - started) / 1000, ...counts(clean) });
    });
  });
}

if (import.meta.main) await main();

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !stages.some((s) => s.name === w));
  if (unknown.length) {
    console.error(`Unknown test stage(s): ${unknown.join(', ')}. Stages: ${stages.map((s) => s.name).join(', ')}.`);
    process.exit(2);
  }

  const outcomes: Outcome[] = [];
  for (const stage of stages.filter((s) => !wanted.length || wanted.includes(s.name))) {
    if (stage.needsBuild && outcomes.some((o) => o.stage.name === 'build' && !o.ok)) {
      outcomes.push({ stage, ok: false, skipped: 'the build failed', seconds: 0, passed: 0, failed: 0 });
      continue;
    }
    console.log(`\n━━ ${stage.name}: ${stage.what}\n`);
    const outcome = await runStage(stage);
    outcomes.push(outcome);
  }

  console.log('\n━━ summary\n');
  for (const o of outcomes) {
    const detail = o.skipped ? `not run: ${o.skipped}` : `${o.seconds.toFixed(1)} s${o.passed + o.failed ? `, ${o.passed} passed, ${o.failed} failed` : ''}`;
    console.log(`  ${o.ok ? 'ok  ' : 'FAIL'}  ${o.stage.name.padEnd(6)} ${detail}`);
  }
  const failedStages = outcomes.filter((o) => !o.ok).length;
  const passed = outcomes.reduce((s, o) => s + o.passed, 0);
  const failed = outcomes.reduce((s, o) => s + o.failed, 0);
  console.log(`\nstages: ${outcomes.length - failedStages} passed, ${failedStages} failed`);
  console.log(`tests: ${passed} passed, ${failed} failed`);
  process.exitCode = failedStages ? 1 : 0;
}
