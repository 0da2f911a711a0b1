/** A lab card's live controls: Start, Tear down, their output, and the free shell. */
import { klab, klabSelector } from '../../../contract/dom.ts';
import type { LiveContext, OpOwner } from './context.ts';
import { lazyOutput, loadTerminal } from './output.ts';
import type { PageTerminal } from './terminal.ts';
import { button, el } from './ui.ts';

export function setUpLab(card: HTMLElement, { conn, owners }: LiveContext): void {
  const lab = card.getAttribute(klab.lab)!;
  const controls = card.querySelector<HTMLElement>(klabSelector('controls'))!;
  card.querySelector<HTMLElement>(klabSelector('offline'))?.setAttribute('hidden', '');
  const status = el('p', 'klab-status');
  status.setAttribute('role', 'status');
  status.setAttribute(klab.status, '');
  const bar = el('div', 'klab-actions');
  const up = button('Start lab', 'up');
  const down = button('Tear down', 'down');
  const target = el('select', 'klab-select');
  target.setAttribute('aria-label', 'Where the shell runs');
  for (const t of (card.getAttribute(klab.targets) ?? 'host').split(' ')) target.append(new Option(t, t));
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

  // The free shell: a pty on the server, an interactive terminal here.
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
