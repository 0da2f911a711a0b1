/**
 * The in-page terminal: xterm.js + fit addon, imported on first use only (this module is a
 * dynamic import of live.ts). Sized to its container, colours from the page's theme (follows the
 * theme toggle). Esc moves focus out of an interactive terminal, so the keyboard never gets stuck.
 *
 * Each terminal lives in a shadow root behind `contain: strict`: xterm adds and rewrites <style>
 * elements while it measures and sizes itself, and in the document each of those restyled and
 * relaid the whole chapter page (about 300 ms on a long page, measured with a Chromium trace).
 * Inside the shadow root they touch the terminal only.
 */
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import xtermCss from '@xterm/xterm/css/xterm.css?url';

export interface PageTerminal {
  write(data: string): void;
  clear(): void;
  focus(): void;
  fit(): void;
  readonly cols: number;
  readonly rows: number;
  onData(listener: (data: string) => void): void;
  onResize(listener: (size: { cols: number; rows: number }) => void): void;
  dispose(): void;
}

function themeFrom(el: HTMLElement) {
  const css = getComputedStyle(el);
  const v = (name: string) => css.getPropertyValue(name).trim();
  return {
    background: v('--klab-term-bg'),
    foreground: v('--klab-term-fg'),
    cursor: v('--klab-term-fg'),
    selectionBackground: v('--klab-term-sel'),
  };
}

/** A shadow root filling `container`, holding xterm's stylesheet (loaded) and the element to open the terminal in. */
async function isolatedHost(container: HTMLElement): Promise<{ host: HTMLElement; parent: HTMLElement }> {
  const host = document.createElement('div');
  host.className = 'klab-term__host';
  host.style.cssText = 'height:100%;contain:strict';
  const root = host.attachShadow({ mode: 'open' });
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = xtermCss;
  const loaded = new Promise<void>((resolve) => (link.onload = link.onerror = () => resolve()));
  const parent = document.createElement('div');
  parent.style.height = '100%';
  root.append(link, parent);
  container.append(host);
  await loaded;
  return { host, parent };
}

export async function createTerminal(container: HTMLElement, opts: { interactive: boolean; label: string; onEscape?: () => void }): Promise<PageTerminal> {
  const theme = themeFrom(container);
  const { host, parent } = await isolatedHost(container);
  const term = new Terminal({
    convertEol: !opts.interactive,
    disableStdin: !opts.interactive,
    cursorBlink: opts.interactive,
    cursorStyle: opts.interactive ? 'block' : 'bar',
    cursorInactiveStyle: 'none',
    fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
    fontSize: 14,
    scrollback: 2000,
    // Keeps ANSI colours (a yellow stderr line on a white page) readable in both themes.
    minimumContrastRatio: 4.5,
    theme,
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.open(parent);
  const textarea = parent.querySelector('textarea');
  textarea?.setAttribute('aria-label', opts.label);
  // An output-only terminal is not a stop for the keyboard; the Run and Cancel buttons are.
  if (!opts.interactive) textarea?.setAttribute('tabindex', '-1');
  term.attachCustomKeyEventHandler((event) => {
    if (event.type === 'keydown' && event.key === 'Escape' && !event.shiftKey && opts.onEscape) {
      opts.onEscape();
      return false;
    }
    return true;
  });
  fit.fit();
  const resize = new ResizeObserver(() => fit.fit());
  resize.observe(host);
  const retheme = new MutationObserver(() => {
    term.options.theme = themeFrom(container);
  });
  retheme.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  return {
    write: (data) => term.write(data),
    clear: () => term.reset(),
    focus: () => term.focus(),
    fit: () => fit.fit(),
    get cols() {
      return term.cols;
    },
    get rows() {
      return term.rows;
    },
    onData: (listener) => void term.onData(listener),
    onResize: (listener) => void term.onResize(listener),
    dispose: () => {
      resize.disconnect();
      retheme.disconnect();
      term.dispose();
      host.remove();
    },
  };
}
