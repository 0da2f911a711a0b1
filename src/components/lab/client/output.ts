/**
 * Step and lab output in the page: plain text at once, then a terminal (xterm.js, imported on
 * first use) that replays it with colours.
 */
import type { PageTerminal } from './terminal.ts';

let terminalModule: Promise<typeof import('./terminal.ts')> | undefined;
/** The terminal code, fetched once. */
export const loadTerminal = () => (terminalModule ??= import('./terminal.ts'));

/** Terminal output as plain text: escape sequences and carriage returns removed. */
export function plainText(data: string): string {
  // eslint-disable-next-line no-control-regex
  return data.replace(/\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-Z\\-_]|\r/g, '');
}

export interface LazyOutput {
  /** Starts fetching the terminal code (no main-thread work of note). */
  prefetch(): void;
  write(data: string): void;
  clear(): void;
}

/**
 * Output inside `box`: shown at once as plain text, then in a terminal created on first use.
 * Building the terminal is one long main-thread task; started at the click it delayed the first
 * output (whose message waited behind it) past the 300 ms budget. So the code is fetched at the
 * click, the first output is drawn as plain text, and the terminal is built after that frame;
 * it replays everything written so far, colours included.
 */
export function lazyOutput(box: HTMLElement, label: string): LazyOutput {
  let term: PageTerminal | undefined;
  let creating: Promise<PageTerminal> | undefined;
  let plain: HTMLPreElement | undefined;
  let backlog = '';
  const create = () =>
    (creating ??= loadTerminal()
      .then((m) => m.createTerminal(box, { interactive: false, label }))
      .then((t) => {
        term = t;
        plain?.remove();
        plain = undefined;
        if (backlog) t.write(backlog);
        backlog = '';
        return t;
      }));
  return {
    prefetch: () => void loadTerminal(),
    write(data: string) {
      box.hidden = false;
      if (term) return term.write(data);
      backlog += data;
      if (!plain) {
        plain = document.createElement('pre');
        plain.className = 'klab-term__plain';
        box.prepend(plain);
      }
      plain.append(plainText(data));
      if (!creating) requestAnimationFrame(() => setTimeout(() => void create(), 0));
    },
    clear() {
      backlog = '';
      plain?.replaceChildren();
      term?.clear();
    },
  };
}
