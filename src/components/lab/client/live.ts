/**
 * The live client, injected by the local lab server only (never part of the static build's
 * pages). It finds the server's config, then gives every lab card and step its buttons.
 * Terminal code is imported on first use.
 */
import { Connection, type LiveConfig } from './connection.ts';
import type { ServerMessage } from '../../../server/protocol.ts';
import type { LabEvent, StepStatus } from '../../../lab/events.ts';
import type { PageTerminal } from './terminal.ts';

let terminalModule: Promise<typeof import('./terminal.ts')> | undefined;
const loadTerminal = () => (terminalModule ??= import('./terminal.ts'));


const MARKS: Partial<Record<StepStatus, [string, string]>> = {
  passed: ['✓', 'passed'],
  done: ['✓', 'done'],
  failed: ['✗', 'failed'],
  'timed-out': ['✗', 'timed out'],
  error: ['✗', 'error'],
  canceled: ['–', 'canceled'],
};

function button(text: string, action: string): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'klab-btn';
  b.dataset.action = action;
  b.textContent = text;
  return b;
}

/** Terminal output as plain text: escape sequences and carriage returns removed. */
function plainText(data: string): string {
  // eslint-disable-next-line no-control-regex
  return data.replace(/\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-Z\\-_]|\r/g, '');
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  e.className = className;
  return e;
}

/** What receives a lab's events while an operation this page started runs. */
interface OpOwner {
  onEvent(event: LabEvent): void;
  onOp(message: Extract<ServerMessage, { type: 'op' }>): void;
  onError(message: string): void;
}

function start(config: LiveConfig): void {
  const conn = new Connection(config);
  const owners = new Map<string, OpOwner>();
  document.documentElement.dataset.klabLive = '';

  const announceAll = (text: string) => {
    for (const s of document.querySelectorAll<HTMLElement>('[data-klab-status]')) s.textContent = text;
  };
  conn.onLost = () => {
    for (const b of document.querySelectorAll<HTMLButtonElement>('.klab-live button, [data-klab-controls] button')) b.disabled = true;
    announceAll('Lost the connection to the lab server. Restart it (npm start) and reload the page.');
  };

  conn.listen((message) => {
    if (message.type === 'event') {
      const { event } = message;
      if (event.type === 'end') markStep(event.lab, event.step, event.status);
      owners.get(event.lab)?.onEvent(event);
    } else if (message.type === 'op') {
      owners.get(message.lab)?.onOp(message);
      if (message.state === 'ended') owners.delete(message.lab);
    } else if (message.type === 'error' && message.lab) {
      const owner = owners.get(message.lab);
      owners.delete(message.lab);
      owner?.onError(message.message);
    } else if (message.type === 'dropped') {
      owners.get(message.lab)?.onEvent({ type: 'output', lab: message.lab, step: '', stream: 'stderr', data: `\n[${message.bytes} bytes of output dropped: the page read too slowly]\n` });
    }
  });

  function markStep(lab: string, step: string, status: StepStatus): void {
    const mark = MARKS[status];
    if (!mark) return;
    for (const m of document.querySelectorAll<HTMLElement>(`[data-klab="lab"][data-klab-lab="${lab}"] [data-klab-item="${step}"] [data-klab-mark]`)) {
      m.textContent = `${mark[0]} ${mark[1]}`;
      m.dataset.status = status;
    }
  }

  /**
   * Output inside `box`: shown at once as plain text, then in a terminal created on first use.
   * Building the terminal is one long main-thread task; started at the click it delayed the first
   * output (whose message waited behind it) past the 300 ms budget. So the code is fetched at the
   * click, the first output is drawn as plain text, and the terminal is built after that frame;
   * it replays everything written so far, colours included.
   */
  function lazyOutput(box: HTMLElement, label: string) {
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
      /** Starts fetching the terminal code (no main-thread work of note). */
      prefetch: () => void loadTerminal(),
      write(data: string) {
        box.hidden = false;
        if (term) return term.write(data);
        backlog += data;
        if (!plain) {
          plain = el('pre', 'klab-term__plain');
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

  for (const section of document.querySelectorAll<HTMLElement>('[data-klab="step"]')) {
    const lab = section.dataset.klabLab!;
    const step = section.dataset.klabStep!;
    const title = section.querySelector('.klab-step__title')?.textContent ?? step;
    const live = section.querySelector<HTMLElement>('[data-klab-live]')!;
    const status = section.querySelector<HTMLElement>('[data-klab-status]')!;
    const hint = section.querySelector<HTMLDetailsElement>('[data-klab-hint]');
    const actions = el('div', 'klab-actions');
    const run = button('Run', 'run');
    run.setAttribute('aria-label', `Run step: ${title}`);
    const cancel = button('Cancel', 'cancel');
    cancel.setAttribute('aria-label', `Cancel step: ${title}`);
    cancel.hidden = true;
    const mark = el('span', 'klab-mark klab-mark--step');
    actions.append(run, cancel, mark);
    const termBox = el('div', 'klab-term');
    termBox.hidden = true;
    live.append(actions, termBox);
    const output = lazyOutput(termBox, `Output of step: ${title}`);
    const write = (data: string) => output.write(data);
    const finish = (text: string, statusName?: StepStatus) => {
      run.disabled = false;
      cancel.hidden = true;
      const m = statusName && MARKS[statusName];
      mark.textContent = m ? `${m[0]} ${m[1]}` : '';
      if (statusName) mark.dataset.status = statusName;
      status.textContent = text;
      section.dataset.klabState = statusName ?? 'error';
      if (hint && (statusName === 'failed' || statusName === 'timed-out')) hint.open = true;
      if (document.activeElement === cancel || document.activeElement === document.body) run.focus();
    };
    const owner: OpOwner = {
      onEvent(event) {
        if (event.type === 'start') write(`\x1b[1m${event.target} $ ${event.command}\x1b[0m\n`);
        else if (event.type === 'output') write(event.stream === 'stderr' ? `\x1b[33m${event.data}\x1b[0m` : event.data);
        else if (event.type === 'end' && event.step !== step) write(`\x1b[1m(${event.step}: ${event.status})\x1b[0m\n`);
        else if (event.type === 'phase' && event.phase === 'setup') status.textContent = `Starting the lab ${lab} first…`;
      },
      onOp(message) {
        if (message.state === 'started') return;
        const s = message.status;
        const reason = message.message ? `: ${message.message}` : '';
        const label = s ? (MARKS[s]?.[1] ?? s) : message.ok ? 'done' : 'failed';
        finish(`${title}: ${label}${reason}${(s === 'failed' || s === 'timed-out') && hint ? '. See the hint, now open above.' : ''}`, s ?? (message.ok ? 'done' : 'error'));
      },
      onError(message) {
        finish(message);
      },
    };
    run.addEventListener('click', () => {
      if (owners.has(lab)) {
        status.textContent = `Lab ${lab} is busy with another step; wait for it or cancel it.`;
        return;
      }
      owners.set(lab, owner);
      run.disabled = true;
      cancel.hidden = false;
      mark.textContent = '';
      delete section.dataset.klabState;
      status.textContent = `${title}: running…`;
      termBox.hidden = false;
      output.clear();
      conn.send({ type: 'run', lab, step });
      output.prefetch();
    });
    cancel.addEventListener('click', () => {
      conn.send({ type: 'cancel', lab });
      status.textContent = `${title}: canceling…`;
    });
  }

  for (const card of document.querySelectorAll<HTMLElement>('[data-klab="lab"]')) setUpLab(card);

  function setUpLab(card: HTMLElement): void {
    const lab = card.dataset.klabLab!;
    const controls = card.querySelector<HTMLElement>('[data-klab-controls]')!;
    card.querySelector<HTMLElement>('[data-klab-offline]')?.setAttribute('hidden', '');
    const status = el('p', 'klab-status');
    status.setAttribute('role', 'status');
    status.dataset.klabStatus = '';
    const bar = el('div', 'klab-actions');
    const up = button('Start lab', 'up');
    const down = button('Tear down', 'down');
    const target = el('select', 'klab-select');
    target.setAttribute('aria-label', 'Where the shell runs');
    for (const t of (card.dataset.klabTargets ?? 'host').split(' ')) target.append(new Option(t, t));
    const shell = button('Open shell', 'shell');
    bar.append(up, down, target, shell);
    const logBox = el('div', 'klab-term');
    logBox.hidden = true;
    const shellBox = el('div', 'klab-term klab-term--shell');
    shellBox.hidden = true;
    controls.append(bar, logBox, shellBox, status);
    const log = lazyOutput(logBox, `Lab ${lab}: start and teardown output`);
    const owner = (name: string): OpOwner => ({
      onEvent(event) {
        if (event.type === 'output') log.write(event.data);
        else if (event.type === 'start') log.write(`\x1b[1m${event.target} $ ${event.command}\x1b[0m\n`);
      },
      onOp(message) {
        if (message.state === 'ended') {
          up.disabled = down.disabled = false;
          status.textContent = `${name} ${message.ok ? 'finished' : `failed${message.message ? `: ${message.message}` : ''}`}.`;
        }
      },
      onError(message) {
        up.disabled = down.disabled = false;
        status.textContent = message;
      },
    });
    for (const [b, op, name] of [[up, 'up', 'Start'], [down, 'down', 'Teardown']] as const) {
      b.addEventListener('click', () => {
        if (owners.has(lab)) {
          status.textContent = `Lab ${lab} is busy; wait for it to finish.`;
          return;
        }
        owners.set(lab, owner(name));
        up.disabled = down.disabled = true;
        status.textContent = `${name} of ${lab}: running…`;
        conn.send({ type: op, lab });
      });
    }
    let shellId: number | undefined;
    let shellTerm: PageTerminal | undefined;
    conn.listen((m) => {
      if (m.type === 'shell-opened' && m.lab === lab && shellId === undefined && shellTerm) {
        shellId = m.shell;
        shell.textContent = 'Close shell';
        status.textContent = `Shell open on ${m.target}. Press Esc to leave the terminal.`;
        shellTerm.focus();
      } else if (m.type === 'shell-output' && m.shell === shellId) shellTerm?.write(m.data);
      else if (m.type === 'shell-exit' && m.shell === shellId) closeShell('Shell ended.');
      else if (m.type === 'error' && m.lab === lab && !owners.has(lab)) {
        status.textContent = m.message;
        if (shellId === undefined) closeShell(m.message);
      }
    });
    const closeShell = (text: string) => {
      if (shellId !== undefined) conn.send({ type: 'shell-close', shell: shellId });
      shellId = undefined;
      shellTerm?.dispose();
      shellTerm = undefined;
      shellBox.hidden = true;
      shell.textContent = 'Open shell';
      shell.disabled = false;
      status.textContent = text;
    };
    shell.addEventListener('click', async () => {
      if (shellTerm) return closeShell('Shell closed.');
      shell.disabled = true;
      shellBox.hidden = false;
      const { createTerminal } = await loadTerminal();
      shellBox.replaceChildren();
      shellTerm = await createTerminal(shellBox, { interactive: true, label: `Shell in lab ${lab}`, onEscape: () => shell.focus() });
      shell.disabled = false;
      shellTerm.onData((data) => shellId !== undefined && conn.send({ type: 'shell-input', shell: shellId, data }));
      shellTerm.onResize(({ cols, rows }) => shellId !== undefined && conn.send({ type: 'shell-resize', shell: shellId, cols, rows }));
      conn.send({ type: 'shell-open', lab, target: target.value, cols: shellTerm.cols, rows: shellTerm.rows });
    });
  }
}

// Last, so every helper above is initialised before it runs.
const configEl = document.getElementById('lab-server-config');
if (configEl) start(JSON.parse(configEl.textContent ?? '{}') as LiveConfig);
