/**
 * One WebSocket connection: authentication, message dispatch, flow control, cleanup.
 * Auth flow: the upgrade has already passed the Host and Origin checks; the first message must be
 * `{ type: 'auth', token }` with this start's token, within AUTH_TIMEOUT_MS, or the socket is
 * closed (4401). The token never travels in a URL (no logs, no history, no Referer).
 */
import type { WebSocket, RawData } from 'ws';
import type { LabEvent } from '../lab/events.ts';
import type { Lab } from '../lab/schema/lab.ts';
import type { LabEngine } from './engine.ts';
import type { Hop } from '../lab/trace/types.ts';
import type { LabRuns } from './runs.ts';
import { parseClientMessage, type ClientMessage, type LabOp, type ServerMessage } from '../contract/protocol.ts';
import { tokenMatches } from './guard.ts';
import { openShell, type Shell } from './shells.ts';

export const AUTH_TIMEOUT_MS = 5000;
/** Above this many unsent bytes, output is dropped (steps) or the pty is paused (shells). */
export const HIGH_WATER_BYTES = 1 << 20;
const LOW_WATER_BYTES = 64 << 10;
const MAX_SHELLS_PER_CONNECTION = 4;

export interface SessionContext {
  token: string;
  engine: LabEngine;
  runs: LabRuns;
  log?: (line: string) => void;
  /** Default AUTH_TIMEOUT_MS (tests shorten it). */
  authTimeoutMs?: number;
}

export class Session {
  readonly #ws: WebSocket;
  readonly #ctx: SessionContext;
  #authed = false;
  readonly #authTimer: NodeJS.Timeout;
  readonly #shells = new Map<number, Shell>();
  #nextShell = 1;
  #dropped = new Map<string, number>();
  readonly closed: Promise<void>;

  constructor(ws: WebSocket, ctx: SessionContext) {
    this.#ws = ws;
    this.#ctx = ctx;
    this.#authTimer = setTimeout(() => this.#refuse('unauthorized', 'no auth message in time'), ctx.authTimeoutMs ?? AUTH_TIMEOUT_MS);
    ws.on('message', (data, isBinary) => this.#onMessage(data, isBinary));
    this.closed = new Promise((resolve) => {
      ws.on('close', () => {
        clearTimeout(this.#authTimer);
        void this.#cleanup().then(resolve);
      });
    });
    ws.on('error', () => ws.terminate());
  }

  send(message: ServerMessage): void {
    if (this.#ws.readyState !== this.#ws.OPEN) return;
    this.#ws.send(JSON.stringify(message));
  }

  #refuse(code: 'unauthorized', message: string): void {
    this.send({ type: 'error', code, message });
    this.#ws.close(4401, 'unauthorized');
  }

  #onMessage(data: RawData, isBinary: boolean): void {
    if (isBinary) {
      this.send({ type: 'error', code: 'bad-message', message: 'expected a text message holding JSON' });
      return;
    }
    const parsed = parseClientMessage(data.toString());
    if (!this.#authed) {
      if (!parsed.ok || parsed.message.type !== 'auth' || !tokenMatches(parsed.message.token, this.#ctx.token)) {
        this.#refuse('unauthorized', 'the first message must be an auth message with this server\'s token: reload the page');
        return;
      }
      clearTimeout(this.#authTimer);
      this.#authed = true;
      void this.#ctx.engine.listIds().then(
        (labs) => this.send({ type: 'ready', labs, busy: this.#ctx.runs.busyLabs() }),
        () => this.send({ type: 'ready', labs: [], busy: this.#ctx.runs.busyLabs() }),
      );
      return;
    }
    if (!parsed.ok) {
      this.send({ type: 'error', code: 'bad-message', message: parsed.reason });
      return;
    }
    void this.#dispatch(parsed.message).catch((error: unknown) => {
      this.send({ type: 'error', code: 'failed', message: (error as Error).message });
    });
  }

  async #lab(id: string): Promise<Lab | undefined> {
    const lab = await this.#ctx.engine.load(id);
    if (!lab) this.send({ type: 'error', code: 'unknown-lab', message: `unknown lab "${id}"`, lab: id });
    return lab;
  }

  async #dispatch(message: ClientMessage): Promise<void> {
    switch (message.type) {
      case 'auth':
        return; // already authenticated: harmless
      case 'run':
      case 'up':
      case 'down': {
        const lab = await this.#lab(message.lab);
        if (!lab) return;
        const step = message.type === 'run' ? message.step : undefined;
        if (step && !lab.steps.some((s) => s.id === step)) {
          this.send({ type: 'error', code: 'unknown-step', message: `lab "${lab.id}" has no step "${step}"`, lab: lab.id, step });
          return;
        }
        this.#startOp(lab, message.type, step);
        return;
      }
      case 'walk': {
        const lab = await this.#lab(message.lab);
        if (!lab) return;
        if (!lab.walks.some((w) => w.id === message.walk)) {
          this.send({ type: 'error', code: 'unknown-step', message: `lab "${lab.id}" has no walk "${message.walk}"`, lab: lab.id, step: message.walk });
          return;
        }
        if (lab.backend !== 'sandbox') {
          this.send({ type: 'error', code: 'unsupported', message: `lab "${lab.id}" is a ${lab.backend} lab: walks run in sandbox labs`, lab: lab.id });
          return;
        }
        this.#startOp(lab, 'walk', message.walk);
        return;
      }
      case 'walk-arm': {
        const lab = await this.#lab(message.lab);
        if (lab && !this.#ctx.runs.busy(lab.id)) await this.#ctx.engine.armWalks(lab).catch(() => undefined);
        return;
      }
      case 'cancel':
        if (!this.#ctx.runs.cancel(message.lab, this)) {
          this.send({ type: 'error', code: 'failed', message: `nothing of yours to cancel in lab "${message.lab}"`, lab: message.lab });
        }
        return;
      case 'shell-open':
        return this.#openShell(message.lab, message.target, message.cols, message.rows);
      case 'shell-input':
        return void this.#shell(message.shell)?.write(message.data);
      case 'shell-resize':
        return void this.#shell(message.shell)?.resize(message.cols, message.rows);
      case 'shell-close': {
        const shell = this.#shell(message.shell);
        this.#shells.delete(message.shell);
        await shell?.close();
        return;
      }
    }
  }

  #startOp(lab: Lab, op: LabOp, step: string | undefined): void {
    const onEvent = (event: LabEvent) => this.#forward(lab.id, event);
    const onHop = (direction: 'request' | 'reply', hop: Hop, index: number) => this.send({ type: 'walk-hop', lab: lab.id, walk: step!, direction, index, hop });
    const result = this.#ctx.runs.start(lab, op, step, this, onEvent, onHop);
    if (!result) {
      const running = this.#ctx.runs.busy(lab.id)!;
      const what = running.op === 'run' ? `step "${running.step}"` : running.op === 'walk' ? `walk "${running.step}"` : running.op === 'up' ? 'its start' : 'its teardown';
      this.send({ type: 'error', code: 'busy', message: `lab "${lab.id}" is busy with ${what}; wait for it or cancel it`, lab: lab.id, step });
      return;
    }
    this.#ctx.log?.(`${op} ${lab.id}${step ? ` ${step}` : ''}`);
    this.send({ type: 'op', lab: lab.id, op, step, state: 'started' });
    void result.then((r) => {
      this.#flushDropped(lab.id);
      if (op === 'walk') this.send({ type: 'walk-done', lab: lab.id, walk: step!, result: r.walk?.result, passed: r.walk?.passed ?? false, reason: r.walk?.reason ?? r.message });
      this.send({ type: 'op', lab: lab.id, op, step, state: 'ended', ok: r.ok, status: r.status, message: r.message });
    });
  }

  /** Forwards an engine event; output chunks are dropped (and counted) while the client lags. */
  #forward(lab: string, event: LabEvent): void {
    if (event.type === 'output' && this.#ws.bufferedAmount > HIGH_WATER_BYTES) {
      this.#dropped.set(lab, (this.#dropped.get(lab) ?? 0) + Buffer.byteLength(event.data));
      return;
    }
    this.#flushDropped(lab);
    this.send({ type: 'event', event });
  }

  #flushDropped(lab: string): void {
    const bytes = this.#dropped.get(lab);
    if (!bytes) return;
    this.#dropped.delete(lab);
    this.send({ type: 'dropped', lab, bytes });
  }

  #shell(id: number): Shell | undefined {
    const shell = this.#shells.get(id);
    if (!shell) this.send({ type: 'error', code: 'unknown-shell', message: `no open shell ${id}`, shell: id });
    return shell;
  }

  async #openShell(labId: string, target: string, cols: number, rows: number): Promise<void> {
    const lab = await this.#lab(labId);
    if (!lab) return;
    if (this.#shells.size >= MAX_SHELLS_PER_CONNECTION) {
      this.send({ type: 'error', code: 'failed', message: `at most ${MAX_SHELLS_PER_CONNECTION} shells per page`, lab: labId });
      return;
    }
    if (!(await this.#ctx.engine.isUp(lab))) {
      this.send({ type: 'error', code: 'failed', message: `lab "${labId}" is not started: press Start (or run: npm run lab -- up ${labId})`, lab: labId });
      return;
    }
    const spec = await this.#ctx.engine.shellCommand(lab, target);
    const id = this.#nextShell++;
    let paused = false;
    const shell = openShell(spec, { cols, rows }, {
      onData: (data) => {
        this.send({ type: 'shell-output', shell: id, data });
        if (!paused && this.#ws.bufferedAmount > HIGH_WATER_BYTES) {
          paused = true;
          shell.pause();
          const poll = setInterval(() => {
            if (this.#ws.readyState !== this.#ws.OPEN || this.#ws.bufferedAmount < LOW_WATER_BYTES) {
              clearInterval(poll);
              paused = false;
              shell.resume();
            }
          }, 50);
        }
      },
      onExit: (exitCode) => {
        this.#shells.delete(id);
        this.send({ type: 'shell-exit', shell: id, exitCode });
      },
    });
    this.#shells.set(id, shell);
    this.#ctx.log?.(`shell ${lab.id} ${target} (pid ${shell.pid})`);
    this.send({ type: 'shell-opened', shell: id, lab: lab.id, target });
  }

  async #cleanup(): Promise<void> {
    const shells = [...this.#shells.values()];
    this.#shells.clear();
    await Promise.all([this.#ctx.runs.cancelOwner(this), ...shells.map((s) => s.close())]);
  }
}
