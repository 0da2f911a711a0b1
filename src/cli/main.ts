#!/usr/bin/env node
/**
 * `npm run lab -- <verb>`: the lab engine's command line. Renders engine events for humans, as JSON
 * lines (--json) or into an asciicast recording (--record); never decides anything itself.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import {
  loadLab,
  listLabIds,
  labsWithState,
  up,
  down,
  run,
  verify,
  prove,
  runStep,
  applySolution,
  doctor,
  status,
  shellCommand,
  daemonLogFile,
  logTail,
  LabError,
  labJsonSchemaText,
  killAllGroups,
  defaultLabsDir,
  displayPath,
  type Lab,
  type LabEvent,
  type LabEventListener,
  type LabSummary,
} from '../lab/index.ts';
import { formatIssueLine } from '../lab/errors.ts';
import { validateAll } from '../lab/validate/index.ts';
import { AsciicastRecorder } from './record/asciicast.ts';
import { HumanRenderer } from './render.ts';
import { parseArgs, UsageError, type CliArgs } from './args.ts';
import { HELP } from './help.ts';
import { renderWalk } from './walk-render.ts';
import { trace } from '../lab/trace/run.ts';
import { attemptWalk, walkProto } from '../lab/trace/lab-walk.ts';
import type { Walk } from '../lab/trace/types.ts';
import { onStdoutClosed, print, stdout } from './output.ts';

const VERBS = ['list', 'status', 'doctor', 'up', 'verify', 'run', 'down', 'shell', 'step', 'solve', 'logs', 'trace', 'validate', 'prove', 'schema', 'help'];

function needId(args: CliArgs): string {
  const id = args.positionals[0];
  if (!id) throw new UsageError(`${args.verb} needs a lab id: npm run lab -- ${args.verb} <id> (see: npm run lab -- list)`);
  return id;
}

/** Listeners for this invocation: human or JSON, plus the recorder. */
function listeners(args: CliArgs, title: string): { onEvent: LabEventListener; finish: () => void } {
  const human = args.json ? undefined : new HumanRenderer(stdout, { verbose: args.verbose });
  const recorder = args.record ? new AsciicastRecorder({ title }) : undefined;
  const onEvent = (event: LabEvent): void => {
    if (args.json) print(JSON.stringify(event));
    else human!.listener(event);
    recorder?.listener(event);
  };
  return {
    onEvent,
    finish: () => {
      human?.close();
      if (recorder && args.record) {
        recorder.save(args.record);
        if (!args.json) print(`recording written to ${args.record}`);
      }
    },
  };
}

/**
 * Ctrl-C (or SIGTERM, or stdout closing under a pipe) cancels the operation: the running command's
 * process group is killed and the lab torn down. A second Ctrl-C quits at once.
 */
function interruptible(labId: string): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  let count = 0;
  const onSigint = (): void => {
    count++;
    if (count === 1) {
      process.stderr.write('\ninterrupted: stopping the running command, then tearing down (Ctrl-C again to quit now)\n');
      controller.abort();
    } else {
      killAllGroups();
      process.stderr.write(`quit without teardown: run \`npm run lab -- down ${labId}\` to remove what is left\n`);
      process.exit(130);
    }
  };
  const unsubscribe = onStdoutClosed(() => {
    process.stderr.write('lab: stdout was closed: stopping the running command, then tearing down\n');
    controller.abort();
  });
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  return {
    signal: controller.signal,
    dispose: () => {
      unsubscribe();
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
  const interrupt = interruptible(lab.id);
  try {
    const result = await fn({ onEvent, signal: interrupt.signal });
    return { result, canceled: interrupt.signal.aborted };
  } finally {
    interrupt.dispose();
    finish();
  }
}

async function validate(args: CliArgs): Promise<number> {
  const report = await validateAll({ labsDir: args.labsDir, ids: args.positionals });
  const versionsOk = report.versions.length === 0;
  const failed = report.labs.filter((l) => l.issues.length > 0).length;
  if (args.json) {
    print(JSON.stringify({ id: 'versions.yaml', ok: versionsOk, problems: report.versions.map(formatIssueLine), issues: report.versions }));
    for (const lab of report.labs) print(JSON.stringify({ id: lab.id, ok: lab.issues.length === 0, problems: lab.issues.map(formatIssueLine), issues: lab.issues }));
  } else {
    print(versionsOk ? '✓ versions.yaml' : `✗ versions.yaml\n${report.versions.map((i) => `  ${formatIssueLine(i)}`).join('\n')}`);
    for (const lab of report.labs) print(lab.issues.length === 0 ? `✓ ${lab.id}` : `✗ ${lab.id}\n${lab.issues.map((i) => `  ${formatIssueLine(i)}`).join('\n')}`);
    const total = report.labs.length;
    print(failed === 0 && versionsOk ? `\n${total} lab${total === 1 ? '' : 's'} and versions.yaml valid` : `\n${failed} of ${total} lab${total === 1 ? '' : 's'} invalid${versionsOk ? '' : '; versions.yaml invalid'}`);
  }
  return failed === 0 && versionsOk ? 0 : 1;
}

async function list(args: CliArgs): Promise<number> {
  const labs: Lab[] = [];
  let broken = 0;
  for (const id of await listLabIds({ labsDir: args.labsDir })) {
    try {
      labs.push(await loadLab(id, { labsDir: args.labsDir }));
    } catch (error) {
      if (!(error instanceof LabError)) throw error;
      broken++;
      const first = error.message.split('\n')[0];
      process.stderr.write(`lab: skipping ${id}: ${first}${error.message.includes('\n') ? ` (npm run lab -- validate ${id} for all problems)` : ''}\n`);
    }
  }
  const rows = labs.map((lab) => ({ id: lab.id, title: lab.title, chapter: lab.chapter, backend: lab.backend, steps: lab.steps.map((s) => s.id), walks: lab.walks.map((w) => w.id) }));
  if (args.json) print(JSON.stringify(rows, null, 2));
  else {
    const width = Math.max(...rows.map((r) => r.id.length), 2);
    for (const row of rows) print(`${row.id.padEnd(width)}  ${row.backend.padEnd(7)}  ${row.title}`);
  }
  return broken === 0 ? 0 : 1;
}

/** `status [id…]`: what is up in this checkout (labs with state), or the named labs. */
async function statusVerb(args: CliArgs): Promise<number> {
  const labsDir = args.labsDir ?? defaultLabsDir;
  const ids = args.positionals.length > 0 ? args.positionals : labsWithState(labsDir);
  const rows = [];
  for (const id of ids) {
    let lab: Lab;
    try {
      lab = await loadLab(id, { labsDir });
    } catch (error) {
      if (!(error instanceof LabError)) throw error;
      rows.push({ id, up: false, detail: `cannot load: ${error.message.split('\n')[0]}`, daemons: [] });
      continue;
    }
    rows.push({ id, ...(await status(lab)) });
  }
  const shown = args.positionals.length > 0 ? rows : rows.filter((r) => r.up || r.stale);
  if (args.json) print(JSON.stringify(shown, null, 2));
  else if (shown.length === 0) print('no lab is up in this checkout');
  else {
    for (const row of shown) {
      print(`${row.up ? '●' : row.stale ? '!' : '○'} ${row.id}: ${row.detail}`);
      for (const d of row.daemons) print(`    daemon ${d.name} on ${d.target}: ${d.running ? `running (pid ${d.pid})` : 'not running'}; log ${d.log}`);
      if (row.stale) print(`    clean it with: npm run lab -- down ${row.id}`);
    }
  }
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args.help || args.verb === undefined || args.verb === 'help') {
    print(HELP);
    return args.verb === undefined && !args.help ? 2 : 0;
  }
  if (!VERBS.includes(args.verb)) throw new UsageError(`unknown verb "${args.verb}"; verbs: ${VERBS.join(', ')}\nsee: npm run lab -- help`);

  switch (args.verb) {
    case 'list':
      return list(args);
    case 'status':
      return statusVerb(args);
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
          if ((!r.ok || r.warning) && r.install) for (const [os, how] of Object.entries(r.install)) print(`    ${os}: ${how}`);
        }
      return results.every((r) => r.ok) ? 0 : 1;
    }
    case 'up': {
      const { result, canceled } = await withEvents(args, lab, (opts) => up(lab, { ...opts, force: args.force }));
      const code = reportSummary(args, result);
      if (code === 0 && !args.json) print(`lab ${lab.id} is up: npm run lab -- verify ${lab.id} | shell ${lab.id} [target] | status | down ${lab.id}`);
      return canceled ? 130 : code;
    }
    case 'verify':
    case 'run':
    case 'prove': {
      const verb = args.verb;
      const { result, canceled } = await withEvents(args, lab, (opts) =>
        verb === 'verify' ? verify(lab, opts) : verb === 'run' ? run(lab, { ...opts, keep: args.keep, force: args.force }) : prove(lab, { ...opts, force: args.force }),
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
        for (const line of result.removed) print(`removed ${line}`);
        if (result.left) process.stderr.write(`left behind: ${result.left}\n`);
        else print(result.removed.length > 0 ? `lab ${lab.id} is down` : `lab ${lab.id} was not up: nothing to remove`);
      }
      return result.ok ? 0 : 1;
    }
    case 'trace': {
      // Either a walk the lab declares (`trace <lab> <walk>`), or any probe (`--from`, `--to`).
      const named = args.positionals[1] ? lab.walks.find((w) => w.id === args.positionals[1]) : undefined;
      if (args.positionals[1] && !named) throw new UsageError(`lab ${lab.id} has no walk "${args.positionals[1]}"; walks: ${lab.walks.map((w) => w.id).join(', ') || '(none)'}`);
      if (!named && (!args.from || !args.to)) {
        throw new UsageError(`trace needs a walk of the lab (${lab.walks.map((w) => w.id).join(', ') || 'it declares none'}) or --from <namespace> and --to <address[:port]>: npm run lab -- trace ${lab.id} --from pod-a --to 10.96.0.10:80 [--proto tcp|udp|icmp]`);
      }
      const proto = named ? walkProto(named) : (args.proto ?? walkProto({ to: args.to! }));
      if (proto !== 'tcp' && proto !== 'udp' && proto !== 'icmp') throw new UsageError(`--proto ${proto}: expected tcp, udp or icmp`);
      const interrupt = interruptible(lab.id);
      try {
        let walk: Walk | undefined;
        let verdict: { passed: boolean; reason?: string } | undefined;
        if (named) {
          const result = await attemptWalk(lab, named, { signal: interrupt.signal });
          walk = result.walk;
          verdict = { passed: result.passed, reason: result.reason };
          if (!walk) throw new LabError(`walk ${named.id}: ${result.reason}`);
        } else {
          const result = await trace(lab, { from: args.from!, to: args.to!, proto, signal: interrupt.signal });
          walk = result.walk;
          if (args.raw) writeFileSync(args.raw, result.raw);
        }
        if (args.json) print(JSON.stringify(verdict ? { ...walk, verdict } : walk));
        else {
          stdout.write(renderWalk(walk, stdout.isTTY && !process.env.NO_COLOR));
          if (verdict) print(verdict.passed ? `✓ the walk shows what ${named!.id} expects` : `✗ ${named!.id}: ${verdict.reason}`);
        }
        return verdict ? (verdict.passed ? 0 : 1) : walk.request.hops.length > 0 ? 0 : 1;
      } finally {
        interrupt.dispose();
      }
    }
    case 'logs': {
      const wanted = args.positionals[1];
      const daemons = wanted ? lab.daemons.filter((d) => d.name === wanted) : lab.daemons;
      if (wanted && daemons.length === 0) throw new UsageError(`lab ${lab.id} has no daemon "${wanted}"; daemons: ${lab.daemons.map((d) => d.name).join(', ') || '(none)'}`);
      if (daemons.length === 0) {
        print(`lab ${lab.id} has no daemons`);
        return 0;
      }
      for (const daemon of daemons) {
        const file = daemonLogFile(lab, daemon.name);
        print(`── ${daemon.name} (${file})`);
        print(logTail(file, 200) || '(empty or not started)');
      }
      return 0;
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
