/**
 * Lab operations started through the server: one at a time per lab, whoever asks (a second
 * request is told the lab is busy). Every operation has its own AbortController; cancel, client
 * disconnect and server shutdown abort it, and the engine kills the step's whole process group.
 * The server remembers which labs it brought up, so it can offer teardown when it stops.
 */
import type { Lab } from '../lab/schema/lab.ts';
import type { LabEvent, StepStatus } from '../lab/events.ts';
import type { LabEngine } from './engine.ts';
import type { LabOp } from '../contract/protocol.ts';
import type { Hop, Walk } from '../lab/trace/types.ts';

export interface Running {
  lab: string;
  op: LabOp;
  step?: string;
  owner: object;
  controller: AbortController;
  done: Promise<void>;
}

export interface OpResult {
  ok: boolean;
  status?: StepStatus;
  message?: string;
  /** `walk`: the walk and whether it shows what the lab expects. */
  walk?: { result?: Walk; passed: boolean; reason?: string };
}

export type HopListener = (direction: 'request' | 'reply', hop: Hop, index: number) => void;

export class LabRuns {
  readonly #engine: LabEngine;
  readonly #running = new Map<string, Running>();
  /** Labs brought up by this server and not torn down since. */
  readonly started = new Set<string>();

  constructor(engine: LabEngine) {
    this.#engine = engine;
  }

  busy(lab: string): Running | undefined {
    return this.#running.get(lab);
  }

  busyLabs(): string[] {
    return [...this.#running.keys()];
  }

  /**
   * Starts `op` on `lab` for `owner`; returns undefined if the lab is busy. The returned promise
   * settles when the operation has ended (never rejects).
   */
  start(lab: Lab, op: LabOp, step: string | undefined, owner: object, onEvent: (event: LabEvent) => void, onHop: HopListener = () => {}): Promise<OpResult> | undefined {
    if (this.#running.has(lab.id)) return undefined;
    const controller = new AbortController();
    const { signal } = controller;
    let finalStatus: StepStatus | undefined;
    const listener = (event: LabEvent) => {
      if (event.type === 'end' && step && event.step === step) finalStatus = event.status;
      onEvent(event);
    };
    const work = async (): Promise<OpResult> => {
      try {
        if (op === 'up') {
          await this.#engine.up(lab, { onEvent: listener, signal });
          this.started.add(lab.id);
          return { ok: !signal.aborted };
        }
        if (op === 'down') {
          await this.#engine.down(lab, { onEvent: listener, signal });
          this.started.delete(lab.id);
          return { ok: !signal.aborted };
        }
        if (!(await this.#engine.isUp(lab))) {
          await this.#engine.up(lab, { onEvent: listener, signal });
          this.started.add(lab.id);
          if (signal.aborted) return { ok: false, status: 'canceled', message: 'canceled while starting the lab' };
        }
        if (op === 'walk') {
          const walk = await this.#engine.walk(lab, step!, { signal, onHop });
          return { ok: walk.passed, status: signal.aborted ? 'canceled' : walk.passed ? 'passed' : 'failed', message: walk.reason, walk };
        }
        const result = await this.#engine.runStep(lab, step!, { onEvent: listener, signal });
        const status = result.status ?? finalStatus ?? (signal.aborted ? 'canceled' : 'error');
        return { ok: status === 'passed' || status === 'done', status, message: status === 'passed' || status === 'done' ? undefined : result.reason };
      } catch (error) {
        return { ok: false, status: signal.aborted ? 'canceled' : 'error', message: (error as Error).message };
      }
    };
    const result = work().finally(() => this.#running.delete(lab.id));
    this.#running.set(lab.id, { lab: lab.id, op, step, owner, controller, done: result.then(() => undefined) });
    return result;
  }

  /** Cancels what runs in `lab` if `owner` started it (or any owner when omitted); never a teardown. */
  cancel(lab: string, owner?: object): boolean {
    const running = this.#running.get(lab);
    if (!running || running.op === 'down' || (owner && running.owner !== owner)) return false;
    running.controller.abort();
    return true;
  }

  /**
   * Cancels everything `owner` started and waits for it to end. A teardown is left to finish:
   * stopping it halfway would leave more behind than letting it complete.
   */
  async cancelOwner(owner: object): Promise<void> {
    const mine = [...this.#running.values()].filter((r) => r.owner === owner && r.op !== 'down');
    for (const r of mine) r.controller.abort();
    await Promise.all(mine.map((r) => r.done));
  }

  /** Cancels every operation and waits for all of them to end. */
  async cancelAll(): Promise<void> {
    const all = [...this.#running.values()];
    for (const r of all) r.controller.abort();
    await Promise.all(all.map((r) => r.done));
  }
}
