/**
 * Live walks on a page served by the local lab server: arms the lab for tracing as soon as the
 * reader starts stepping (so the first live walk answers at once), then "Run it live" sends the
 * walk's probe in the reader's sandbox; each hop replaces the recorded list as it arrives, and the
 * end says whether the walk shows what the lab expects.
 */
import type { LiveConfig } from '../../../contract/live.ts';
import type { ServerMessage } from '../../../contract/protocol.ts';
import { Connection } from '../../lab/client/connection.ts';
import { hopItem } from './render.ts';

export function attachLive(figure: HTMLElement, config: LiveConfig, ui: { show: (index: number) => void; status: HTMLElement }): void {
  const lab = figure.dataset.kwalkLab!;
  const walk = figure.dataset.kwalkWalk!;
  const button = figure.querySelector<HTMLButtonElement>('[data-kwalk-live]')!;
  const lists = [...figure.querySelectorAll<HTMLOListElement>('.kwalk__hops')];
  const outcomes = [...figure.querySelectorAll<HTMLElement>('.kwalk__outcome')];
  const connection = new Connection(config);
  connection.send({ type: 'walk-arm', lab });
  button.hidden = false;
  let running = false;
  let count = 0;

  connection.listen((message: ServerMessage) => {
    if (!running) return;
    if (message.type === 'walk-hop' && message.lab === lab && message.walk === walk) {
      const list = message.direction === 'request' ? lists[0] : lists[1];
      if (!list) return;
      list.append(hopItem(message.hop, count));
      ui.show(count++);
    } else if (message.type === 'walk-done' && message.lab === lab && message.walk === walk) {
      running = false;
      button.disabled = false;
      const result = message.result;
      // The final walk is authoritative: hops shown while it ran are replaced by it.
      if (result) {
        let index = 0;
        lists[0]?.replaceChildren(...result.request.hops.map((h) => hopItem(h, index++)));
        lists[1]?.replaceChildren(...(result.reply?.hops ?? []).map((h) => hopItem(h, index++)));
        ui.show(index - 1);
      }
      if (result && outcomes[0]) outcomes[0].textContent = `${result.request.outcome === 'delivered' ? 'Delivered' : result.request.outcome === 'dropped' ? 'Dropped' : 'Lost'} (live).`;
      if (result?.reply && outcomes[1]) outcomes[1].textContent = `${result.reply.outcome === 'delivered' ? 'Delivered' : 'Lost'} (live).`;
      ui.status.textContent = message.passed ? `Live walk done in ${result?.timing?.doneMs ?? '?'} ms: it shows what the lab expects.` : `Live walk done: ${message.reason ?? 'it does not show what the lab expects'}.`;
    } else if (message.type === 'error' && message.lab === lab) {
      running = false;
      button.disabled = false;
      ui.status.textContent = `Live walk failed: ${message.message}`;
    }
  });

  button.addEventListener('click', () => {
    if (running) return;
    running = true;
    count = 0;
    button.disabled = true;
    for (const list of lists) list.replaceChildren();
    for (const badge of figure.querySelectorAll('[data-kwalk-badge]')) badge.remove();
    for (const outcome of outcomes) outcome.textContent = '';
    ui.status.textContent = 'Sending the probe in your sandbox…';
    connection.send({ type: 'walk', lab, walk });
  });
}
