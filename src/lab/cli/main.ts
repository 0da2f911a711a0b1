#!/usr/bin/env node
/**
 * `npm run lab -- <verb>`: the lab engine's command line. Renders engine events for humans, as JSON
 * lines (--json) or into an asciicast recording (--record); never decides anything itself.
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LabEvent, LabEventListener } from '../events.ts';
import {
  loadLab,
  listLabIds,
  up,
  down,
  run,
  verify,
  prove,
  runStep,
  applySolution,
  doctor,
  shellCommand,
  LabError,
  labJsonSchemaText,
  killAllGroups,
  type Lab,
  type LabSummary,
} from '../index.ts';
import { defaultLabsDir, displayPath } from '../paths.ts';
import { validateOwn } from '../validate-own.ts';
import { AsciicastRecorder } from '../record/asciicast.ts';
import { HumanRenderer } from './render.ts';
import { parseArgs, UsageError, type CliArgs } from './args.ts';
import { HELP } from './help.ts';

const VERBS = ['list', 'doctor', 'up', 'verify', 'run', 'down', 'shell', 'step', 'solve', 'validate', 'prove', 'schema', 'help'];

function print(line = ''): void {
  process.stdout.write(`${line}\n`);
}

function needId(args: CliArgs): string {
  const id = args.positionals[0];
  if (!id) throw new UsageError(`${args.verb} needs a lab id: npm run lab -- ${args.verb} <id> (see: npm run lab -- list)`);
  return id;
}

/** Listeners for this invocation: human or JSON, plus the recorder. */
function listeners(args: CliArgs, title: string): { onEvent: LabEventListener; finish: () => void; human?: HumanRenderer } {
  const human = args.json ? undefined : new HumanRenderer(process.stdout, { verbose: args.verbose });
  const recorder = args.record ? new AsciicastRecorder({ title }) : undefined;
  const onEvent = (event: LabEvent): void => {
    if (args.json) print(JSON.stringify(event));
    else human!.listener(event);
    recorder?.listener(event);
  };
  return {
    onEvent,
    human,
    finish: () => {
      human?.close();
      if (recorder && args.record) {
        recorder.save(args.record);
        if (!args.json) print(`recording written to ${args.record}`);
      }
    },
  };
}

/** Ctrl-C cancels the operation (killing the running group and tearing down); a second one forces exit. */
function interruptible(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  let count = 0;
  const onSigint = (): void => {
    count++;
    if (count === 1) {
      process.stderr.write('\ninterrupted: stopping the running command, then tearing down (Ctrl-C again to quit now)\n');
      controller.abort();
    } else {
      killAllGroups();
      process.stderr.write('quit without teardown: run `npm run lab -- down <id>` to remove what is left\n');
      process.exit(130);
    }
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigint);
    },
  };
}

function reportSummary(args: CliArgs, summary: LabSummary): number {
  if (summary.error && !args.json) process.stderr.write(`${summary.error}\n`);
  if (summary.left && !args.json) process.stderr.write(`left behind: ${summary.left}\n`);
  if (args.json && (summary.error || summary.left)) print(JSON.stringify({ type: 'error', lab: summary.lab, message: summary.error, left: summary.left }));
  return summary.ok ? 0 : 1;
}

async function withEvents<T>(args: CliArgs, lab: Lab, fn: (opts: { onEvent: LabEventListener; signal: AbortSignal }) => Promise<T>): Promise<{ result: T; canceled: boolean }> {
  const { onEvent, finish } = listeners(args, `${lab.title} (${args.verb})`);
  const interrupt = interruptible();
  try {
    const result = await fn({ onEvent, signal: interrupt.signal });
    return { result, canceled: interrupt.signal.aborted };
  } finally {
    interrupt.dispose();
    finish();
  }
}

async function validate(args: CliArgs): Promise<number> {
  const labsDir = args.labsDir ?? defaultLabsDir;
  const ids = args.positionals.length > 0 ? args.positionals : await listLabIds({ labsDir });
  let failed = 0;
  const staticPath = path.join(path.dirname(fileURLToPath(import.meta.url)), '../validate/index.ts');
  const staticModule = existsSync(staticPath)
    ? ((await import(staticPath)) as {
        validateLabStatic?: (lab: Lab, labDir: string) => Promise<{ file: string; path: string; message: string }[]>;
      })
    : undefined;
  for (const id of ids) {
    let problems: string[];
    try {
      const lab = await loadLab(id, { labsDir });
      problems = validateOwn(lab);
      if (staticModule?.validateLabStatic) {
        problems.push(...(await staticModule.validateLabStatic(lab, lab.dir)).map((i) => `${i.file}: ${i.path}: ${i.message}`));
      }
    } catch (error) {
      if (!(error instanceof LabError)) throw error;
      problems = error.message.split('\n');
    }
    if (problems.length > 0) failed++;
    if (args.json) print(JSON.stringify({ id, ok: problems.length === 0, problems }));
    else if (problems.length === 0) print(`✓ ${id}`);
    else print(`✗ ${id}\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
  if (!args.json) print(failed === 0 ? `\n${ids.length} lab(s) valid` : `\n${failed} of ${ids.length} lab(s) invalid`);
  return failed === 0 ? 0 : 1;
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args.help || args.verb === undefined || args.verb === 'help') {
    print(HELP);
    return args.verb === undefined && !args.help ? 2 : 0;
  }
  if (!VERBS.includes(args.verb)) throw new UsageError(`unknown verb "${args.verb}"; verbs: ${VERBS.join(', ')}\nsee: npm run lab -- help`);

  switch (args.verb) {
    case 'list': {
      const labs: Lab[] = [];
      let broken = 0;
      for (const id of await listLabIds({ labsDir: args.labsDir })) {
        try {
          labs.push(await loadLab(id, { labsDir: args.labsDir }));
        } catch (error) {
          if (!(error instanceof LabError)) throw error;
          broken++;
          process.stderr.write(`lab: skipping ${id}: ${error.message.split('\n')[0]}${error.message.includes('\n') ? ' (npm run lab -- validate ' + id + ' for all problems)' : ''}\n`);
        }
      }
      const rows = labs.map((lab) => ({ id: lab.id, title: lab.title, chapter: lab.chapter, backend: lab.backend, steps: lab.steps.map((s) => s.id) }));
      if (args.json) print(JSON.stringify(rows, null, 2));
      else {
        const width = Math.max(...rows.map((r) => r.id.length), 2);
        for (const row of rows) print(`${row.id.padEnd(width)}  ${row.backend.padEnd(7)}  ${row.title}`);
      }
      return broken === 0 ? 0 : 1;
    }
    case 'schema': {
      const file = path.join(defaultLabsDir, 'schema.json');
      writeFileSync(file, labJsonSchemaText());
      print(`wrote ${displayPath(file)}`);
      return 0;
    }
    case 'validate':
      return validate(args);
  }

  const lab = await loadLab(needId(args), { labsDir: args.labsDir });
  switch (args.verb) {
    case 'doctor': {
      const results = await doctor(lab);
      if (args.json) print(JSON.stringify(results, null, 2));
      else
        for (const r of results) {
          print(`${r.ok ? (r.warning ? '!' : '✓') : '✗'} ${r.name}: ${r.detail}`);
          if (!r.ok && r.install) for (const [os, how] of Object.entries(r.install)) print(`    ${os}: ${how}`);
        }
      return results.every((r) => r.ok) ? 0 : 1;
    }
    case 'up': {
      const { result, canceled } = await withEvents(args, lab, (opts) => up(lab, opts));
      const code = reportSummary(args, result);
      if (code === 0 && !args.json) print(`lab ${lab.id} is up: npm run lab -- verify ${lab.id} | shell ${lab.id} [target] | down ${lab.id}`);
      return canceled ? 130 : code;
    }
    case 'verify':
    case 'run':
    case 'prove': {
      const verb = args.verb;
      const { result, canceled } = await withEvents(args, lab, (opts) =>
        verb === 'verify' ? verify(lab, opts) : verb === 'run' ? run(lab, { ...opts, keep: args.keep }) : prove(lab, opts),
      );
      const code = reportSummary(args, result);
      return canceled ? 130 : code;
    }
    case 'step':
    case 'solve': {
      const stepId = args.positionals[1];
      if (!stepId) throw new UsageError(`${args.verb} needs a step id: npm run lab -- ${args.verb} ${lab.id} <step>; steps: ${lab.steps.map((s) => s.id).join(', ')}`);
      const verb = args.verb;
      const { result } = await withEvents(args, lab, (opts) => (verb === 'step' ? runStep(lab, stepId, opts) : applySolution(lab, stepId, opts)));
      return result.passed === false || result.status === 'error' ? 1 : 0;
    }
    case 'down': {
      const { result } = await withEvents(args, lab, (opts) => down(lab, opts));
      if (args.json) print(JSON.stringify({ type: 'down', lab: lab.id, ...result }));
      else {
        for (const error of result.errors) process.stderr.write(`${error}\n`);
        if (result.left) process.stderr.write(`left behind: ${result.left}\n`);
        else print(`lab ${lab.id} is down`);
      }
      return result.ok ? 0 : 1;
    }
    case 'shell': {
      const spec = await shellCommand(lab, args.positionals[1] ?? 'host');
      const child = spawn(spec.file, spec.args, { env: spec.env, cwd: spec.cwd, stdio: 'inherit' });
      // The shell owns the terminal: Ctrl-C belongs to it, not to us.
      process.on('SIGINT', () => {});
      return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
    }
  }
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`lab: ${error.message}\n`);
      process.exitCode = 2;
    } else if (error instanceof LabError) {
      process.stderr.write(`lab: ${error.message}\n`);
      process.exitCode = /^unknown lab /.test(error.message) ? 2 : 1;
    } else {
      process.stderr.write(`lab: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 1;
    }
  },
);
