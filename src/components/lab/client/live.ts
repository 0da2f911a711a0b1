/**
 * The live client, injected by the local lab server only (never part of the static build's
 * pages). It reads the server's config, opens the connection, gives every step its Run controls
 * (step-controls.ts) and every lab card its Start/Tear down/Shell controls (lab-controls.ts), and
 * routes each lab's events to the control that started what runs in it. Terminal code
 * (output.ts, terminal.ts) is imported on first use.
 */
import { CONFIG_ID, type LiveConfig } from '../../../contract/live.ts';
import { klab, klabSelector } from '../../../contract/dom.ts';
import type { StepStatus } from '../../../lab/events.ts';
import { Connection } from './connection.ts';
import type { LiveContext } from './context.ts';
import { setUpLab } from './lab-controls.ts';
import { setUpStep } from './step-controls.ts';
import { MARKS } from './ui.ts';

/** Marks a step as passed or failed in every lab card's step list on the page. */
function markStep(lab: string, step: string, status: StepStatus): void {
  const mark = MARKS[status];
  if (!mark) return;
  for (const m of document.querySelectorAll<HTMLElement>(`${klabSelector('component', 'lab')}${klabSelector('lab', lab)} ${klabSelector('item', step)} ${klabSelector('mark')}`)) {
    m.textContent = `${mark[0]} ${mark[1]}`;
    m.dataset.status = status;
  }
}

function start(config: LiveConfig): void {
  const ctx: LiveContext = { conn: new Connection(config), owners: new Map() };
  const { conn, owners } = ctx;
  document.documentElement.setAttribute(klab.live, '');

  conn.onLost = () => {
    for (const b of document.querySelectorAll<HTMLButtonElement>(`.klab-live button, ${klabSelector('controls')} button`)) b.disabled = true;
    for (const s of document.querySelectorAll<HTMLElement>(klabSelector('status'))) s.textContent = 'Lost the connection to the lab server. Restart it (npm start) and reload the page.';
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

  for (const section of document.querySelectorAll<HTMLElement>(klabSelector('component', 'step'))) setUpStep(section, ctx);
  for (const card of document.querySelectorAll<HTMLElement>(klabSelector('component', 'lab'))) setUpLab(card, ctx);
}

const configEl = document.getElementById(CONFIG_ID);
if (configEl) start(JSON.parse(configEl.textContent ?? '{}') as LiveConfig);
