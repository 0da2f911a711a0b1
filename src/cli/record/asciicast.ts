import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { LabEvent } from '../../lab/index.ts';

/**
 * Turns lab events into an asciicast v2 recording: each command appears after a prompt naming its
 * target, followed by its real output with its real timing, and each check ends with its verdict.
 * Readers replay it with asciinema-player where no live lab is available.
 */
export class AsciicastRecorder {
  readonly #start = performance.now();
  readonly #lines: string[] = [];
  readonly #header: Record<string, unknown>;
  readonly #scrub: readonly (readonly [string, string])[];

  /** `scrub`: text to replace in every output (a committed recording must not carry this machine's paths). */
  constructor(opts: { title: string; width?: number; height?: number; scrub?: readonly (readonly [string, string])[] }) {
    this.#scrub = opts.scrub ?? [];
    this.#header = {
      version: 2,
      width: opts.width ?? 100,
      height: opts.height ?? 30,
      timestamp: Math.floor(Date.now() / 1000),
      title: opts.title,
      env: { SHELL: '/bin/bash', TERM: 'xterm-256color' },
    };
  }

  #out(data: string): void {
    const t = (performance.now() - this.#start) / 1000;
    for (const [from, to] of this.#scrub) data = data.replaceAll(from, to);
    this.#lines.push(JSON.stringify([Number(t.toFixed(6)), 'o', data.replace(/\r?\n/g, '\r\n')]));
  }

  /** Pass as (or call from) an onEvent listener. */
  readonly listener = (event: LabEvent): void => {
    switch (event.type) {
      case 'start':
        if (event.attempt === 1) this.#out(`\x1b[1;32m${event.target}\x1b[0m:\x1b[1;34m~\x1b[0m$ ${event.command.trimEnd()}\n`);
        break;
      case 'output':
        this.#out(event.data);
        break;
      case 'end':
        if (event.status === 'passed') this.#out(`\x1b[32m✓ check passed\x1b[0m\n`);
        else if (event.status === 'failed' || event.status === 'timed-out') this.#out(`\x1b[31m✗ check failed: ${event.reason ?? event.status}\x1b[0m\n`);
        break;
      default:
        break;
    }
  };

  /** The recording as asciicast v2 text (newline-delimited JSON). */
  toString(): string {
    return `${[JSON.stringify(this.#header), ...this.#lines].join('\n')}\n`;
  }

  save(file: string): void {
    writeFileSync(file, this.toString());
  }
}
