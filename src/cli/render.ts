import type { LabEvent } from '../lab/index.ts';
import type { Out } from './output.ts';

/** Output kept per running step to show under it when it ends (its tail is what matters). */
const MAX_KEPT_OUTPUT = 64 * 1024;

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const PHASE_TITLES: Record<string, string> = {
  prerequisites: 'Prerequisites',
  setup: 'Setup',
  steps: 'Steps',
  solution: 'Solution',
  teardown: 'Teardown',
};

function ms(duration: number): string {
  return duration < 1000 ? `${duration} ms` : `${(duration / 1000).toFixed(1)} s`;
}

/**
 * Human output: a step list with a spinner (TTY only), elapsed times, reasons and hints for failed
 * checks, demo output indented below its step, and a summary.
 */
export class HumanRenderer {
  readonly #out: Out;
  readonly #tty: boolean;
  readonly #color: boolean;
  readonly #verbose: boolean;
  #spinner: NodeJS.Timeout | undefined;
  #current: { step: string; title: string; started: number } | undefined;
  #output = new Map<string, string>();
  #phasesShown = new Set<string>();

  constructor(out: Out, opts: { verbose?: boolean } = {}) {
    this.#out = out;
    this.#tty = Boolean(out.isTTY);
    this.#color = this.#tty && !process.env.NO_COLOR;
    this.#verbose = Boolean(opts.verbose);
  }

  #paint(code: string, text: string): string {
    return this.#color ? `\x1b[${code}m${text}\x1b[0m` : text;
  }

  #clearLine(): void {
    if (this.#tty && this.#current) this.#out.write('\r\x1b[2K');
  }

  #write(text: string): void {
    this.#clearLine();
    this.#out.write(text);
  }

  readonly listener = (event: LabEvent): void => {
    switch (event.type) {
      case 'phase':
        if (this.#phasesShown.has(event.phase) || event.phase === 'solution') break;
        this.#phasesShown.add(event.phase);
        this.#write(`${this.#paint('1', PHASE_TITLES[event.phase] ?? event.phase)}\n`);
        break;
      case 'start':
        this.#output.set(event.step, '');
        this.#current = { step: event.step, title: `${event.title}${event.target !== 'host' ? this.#paint('2', ` (${event.target})`) : ''}`, started: Date.now() };
        if (this.#verbose) this.#write(`  ${this.#paint('2', `${event.target}$`)} ${event.command.trim().split('\n')[0]}\n`);
        if (this.#tty) this.#startSpinner();
        break;
      case 'output':
        this.#output.set(event.step, ((this.#output.get(event.step) ?? '') + event.data).slice(-MAX_KEPT_OUTPUT));
        if (this.#verbose || event.step === 'setup') this.#write(event.data.replace(/^(?=.)/gm, '    '));
        break;
      case 'end':
        this.#stopSpinner();
        this.#endLine(event);
        this.#current = undefined;
        break;
      case 'summary': {
        const total = event.passed + event.failed;
        const verdict =
          total === 0
            ? this.#paint('2', 'done')
            : event.failed === 0
              ? this.#paint('32', total === 1 ? 'the check passed' : `all ${total} checks passed`)
              : this.#paint('31', `${event.failed} of ${total} check${total === 1 ? '' : 's'} failed`);
        this.#write(`\n${verdict} in ${ms(event.durationMs)}\n`);
        break;
      }
    }
  };

  #endLine(event: Extract<LabEvent, { type: 'end' }>): void {
    const title = this.#current?.step === event.step ? this.#current.title : event.step;
    const time = this.#paint('2', ms(event.durationMs));
    const marks: Record<string, string> = {
      passed: this.#paint('32', '✓'),
      done: this.#paint('36', '•'),
      failed: this.#paint('31', '✗'),
      error: this.#paint('31', '!'),
      'timed-out': this.#paint('31', '⏱'),
      canceled: this.#paint('33', '⊘'),
    };
    this.#write(`  ${marks[event.status] ?? '?'} ${title}  ${time}\n`);
    const output = this.#output.get(event.step) ?? '';
    const isDemo = event.status === 'done' && !event.reason && !/^(setup|teardown)\.|\.solution$/.test(event.step);
    if (!this.#verbose && (isDemo || event.status === 'error' || event.status === 'failed' || event.status === 'timed-out')) {
      const shown = output.trimEnd().split('\n').slice(-15).join('\n');
      if (shown) this.#write(`${this.#paint('2', shown.replace(/^/gm, '      '))}\n`);
    }
    if (event.reason && (event.status !== 'done' || !isDemo)) this.#write(`      ${this.#paint('31', event.reason)}\n`);
    if (event.hint) this.#write(`      ${this.#paint('33', 'hint:')} ${event.hint.trim().replace(/\n/g, '\n            ')}\n`);
    this.#output.delete(event.step);
  }

  #startSpinner(): void {
    this.#stopSpinner();
    let frame = 0;
    const draw = () => {
      if (!this.#current) return;
      const elapsed = ms(Date.now() - this.#current.started);
      this.#out.write(`\r\x1b[2K  ${this.#paint('36', FRAMES[frame++ % FRAMES.length]!)} ${this.#current.title}  ${this.#paint('2', elapsed)}`);
    };
    draw();
    this.#spinner = setInterval(draw, 80);
    this.#spinner.unref();
  }

  #stopSpinner(): void {
    if (this.#spinner) clearInterval(this.#spinner);
    this.#spinner = undefined;
    this.#clearLine();
  }

  /** Stops the spinner (e.g. before printing an error). */
  close(): void {
    this.#stopSpinner();
    this.#current = undefined;
  }
}
