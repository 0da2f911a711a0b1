/** A step's live controls: Run and Cancel, its output, its pass/fail mark, status and hint. */
import type { StepStatus } from '../../../lab/events.ts';
import { klab, klabSelector } from '../../../contract/dom.ts';
import type { LiveContext, OpOwner } from './context.ts';
import { lazyOutput } from './output.ts';
import { button, el, MARKS } from './ui.ts';

export function setUpStep(section: HTMLElement, { conn, owners }: LiveContext): void {
  const lab = section.getAttribute(klab.lab)!;
  const step = section.getAttribute(klab.step)!;
  const title = section.querySelector('.klab-step__title')?.textContent ?? step;
  const live = section.querySelector<HTMLElement>(klabSelector('live'))!;
  const status = section.querySelector<HTMLElement>(klabSelector('status'))!;
  const hint = section.querySelector<HTMLDetailsElement>(klabSelector('hint'));
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
    section.setAttribute(klab.state, statusName ?? 'error');
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
    section.removeAttribute(klab.state);
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
