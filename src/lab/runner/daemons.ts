import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readSync, rmSync, writeFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Backend } from '../backends/types.ts';
import type { Daemon } from '../schema/daemon.ts';
import type { Lab } from '../schema/lab.ts';
import { evaluate } from '../check.ts';
import { faultPoint } from '../fault.ts';
import { startTime } from '../backends/sandbox-procs.ts';
import { terminateGroup } from '../process/kill-group.ts';
import { runCommand } from '../process/run-command.ts';
import { labStateDir, readJson } from '../state.ts';
import { LabError } from '../errors.ts';
import { sleep, type Ctx } from './context.ts';

/**
 * Daemons: long-running processes a lab declares (a BGP speaker, a DNS server, a proxy). The engine
 * starts each in the foreground, in its own process group, with its output in a log file in the
 * lab's state folder; records its pid before waiting for it, so nothing is lost if the engine is
 * killed; waits until its readiness check passes; stops it at `down`; and shows its log when a
 * step fails. In the sandbox, `down` also sweeps every process of the lab's namespaces, so a
 * daemon cannot outlive the lab even if its record is lost.
 */

interface DaemonRecord {
  name: string;
  target: string;
  pid: number;
  startTime: string;
  log: string;
}

const LOG_TAIL_LINES = 15;

function recordsFile(lab: Lab): string {
  return path.join(labStateDir(lab), 'daemons.json');
}

function readRecords(lab: Lab): DaemonRecord[] {
  return readJson<DaemonRecord[]>(recordsFile(lab)) ?? [];
}

function writeRecords(lab: Lab, records: DaemonRecord[]): void {
  writeFileSync(recordsFile(lab), JSON.stringify(records), { mode: 0o600 });
}

/** Where a daemon's output goes: `<lab state>/daemons/<name>.log`. */
export function daemonLogFile(lab: Lab, name: string): string {
  return path.join(labStateDir(lab), 'daemons', `${name}.log`);
}

function alive(record: DaemonRecord): boolean {
  return startTime(record.pid) === record.startTime;
}

/** The last lines of a log, at most `lines` of them and 8 KiB. */
export function logTail(file: string, lines = LOG_TAIL_LINES): string {
  let text = '';
  try {
    const size = statSync(file).size;
    const length = Math.min(size, 8192);
    const buffer = Buffer.alloc(length);
    const fd = openSync(file, 'r');
    try {
      readSync(fd, buffer, 0, length, size - length);
    } finally {
      closeSync(fd);
    }
    text = buffer.toString('utf8');
  } catch {
    return '';
  }
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

export interface DaemonStatus {
  name: string;
  target: string;
  running: boolean;
  pid?: number;
  log: string;
  why?: string;
}

/** Each declared daemon: running or not, its pid and its log. */
export function daemonStatuses(lab: Lab): DaemonStatus[] {
  const records = new Map(readRecords(lab).map((r) => [r.name, r]));
  return lab.daemons.map((daemon) => {
    const record = records.get(daemon.name);
    return { name: daemon.name, target: daemon.target ?? 'host', running: Boolean(record && alive(record)), pid: record?.pid, log: daemonLogFile(lab, daemon.name), why: daemon.why };
  });
}

/**
 * For a failing step: each daemon that died, and the log of each daemon on the step's target (or
 * of all daemons when none runs there). Empty when the lab has no daemons.
 */
export function daemonDiagnostics(lab: Lab, _backend: Backend, target: string): string {
  if (lab.daemons.length === 0) return '';
  const statuses = daemonStatuses(lab);
  const local = statuses.filter((d) => d.target === target);
  const shown = new Set([...statuses.filter((d) => !d.running), ...(local.length > 0 ? local : statuses)]);
  const parts: string[] = [];
  for (const d of statuses.filter((s) => shown.has(s))) {
    const tail = logTail(d.log, 10);
    parts.push(`── daemon ${d.name} on ${d.target}: ${d.running ? `running (pid ${d.pid})` : 'NOT RUNNING'}; log ${d.log}${tail ? `\n${tail.replace(/^/gm, '   ')}` : ' (empty)'}`);
  }
  return `${parts.join('\n')}\n`;
}

async function startOne(ctx: Ctx, daemon: Daemon, records: DaemonRecord[]): Promise<void> {
  const { lab, backend } = ctx;
  const target = daemon.target ?? 'host';
  const key = `daemon.${daemon.name}`;
  const started = performance.now();
  ctx.emit({ type: 'start', lab: lab.id, step: key, title: `start daemon ${daemon.name}`, command: daemon.run, target, attempt: 1 });
  const log = daemonLogFile(lab, daemon.name);
  mkdirSync(path.dirname(log), { recursive: true, mode: 0o700 });
  const spec = backend.commandFor(lab, target, `exec ${daemon.run}`);
  const fd = openSync(log, 'w', 0o600);
  let exited: string | undefined;
  let pid: number | undefined;
  try {
    const child = spawn(spec.file, spec.args, { env: spec.env, cwd: spec.cwd, detached: true, stdio: ['ignore', fd, fd] });
    child.once('error', (error) => (exited = `could not start: ${error.message}`));
    child.once('exit', (code, signal) => (exited = signal ? `killed by ${signal}` : `exited with status ${code}`));
    child.unref();
    pid = child.pid;
  } finally {
    closeSync(fd);
  }
  if (pid) {
    records.push({ name: daemon.name, target, pid, startTime: startTime(pid) ?? '', log });
    writeRecords(lab, records);
    faultPoint('daemon-started');
  }
  const fail = (why: string): never => {
    const tail = logTail(log);
    const message = `daemon ${daemon.name} (${target}) ${why}; its log (${log}):\n${tail ? tail.replace(/^/gm, '  ') : '  (empty)'}`;
    ctx.emit({ type: 'end', lab: lab.id, step: key, status: 'error', exitCode: null, durationMs: Math.round(performance.now() - started), reason: why });
    throw new LabError(message);
  };
  const deadline = started + daemon.ready.timeout;
  const expect = daemon.ready.expect ?? { exit: 0, stdout: [], stdoutNot: [] };
  let last = 'its readiness check never ran';
  for (;;) {
    if (exited || !pid) fail(exited ?? 'did not start');
    if (ctx.signal?.aborted) fail('start was canceled');
    // Each attempt gets a fair time to answer even close to the deadline (a busy machine is slow
    // to start a command); the deadline decides when to stop trying.
    const check = await runCommand(backend.commandFor(lab, target, daemon.ready.run), { timeoutMs: 5000, signal: ctx.signal });
    const verdict = evaluate(expect, check);
    if (verdict.passed && !exited) break;
    last = verdict.reason ?? 'not ready';
    if (performance.now() + daemon.ready.interval > deadline) fail(`was not ready after ${daemon.ready.timeout} ms (readiness check: ${last})`);
    await sleep(daemon.ready.interval, ctx.signal);
  }
  ctx.emit({ type: 'end', lab: lab.id, step: key, status: 'done', exitCode: 0, durationMs: Math.round(performance.now() - started) });
}

/** Starts every daemon in order, each waited for until ready. Throws (with the daemon's log) on failure. */
export async function startDaemons(ctx: Ctx): Promise<void> {
  const records = readRecords(ctx.lab).filter(alive);
  for (const daemon of ctx.lab.daemons) await startOne(ctx, daemon, records);
}

/** Stops the daemons that still run (last started first). Returns one line per daemon stopped. */
export async function stopDaemons(lab: Lab, backend: Backend): Promise<string[]> {
  const records = readRecords(lab);
  const stopped: string[] = [];
  for (const record of [...records].reverse()) {
    // Only a process that is still the one started (same start time) and still in the lab.
    if (!alive(record) || (backend.isLabProcess && !backend.isLabProcess(lab, record.pid))) continue;
    await terminateGroup(record.pid, 2000);
    stopped.push(`daemon ${record.name} (pid ${record.pid}; log kept: ${record.log})`);
  }
  rmSync(recordsFile(lab), { force: true });
  return stopped;
}
