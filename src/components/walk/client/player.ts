/**
 * Steps through a packet walk in the page: previous and next (buttons, or the arrow keys while
 * focus is in the walk) move the current hop, marked in the list (aria-current="step") and on
 * the map; the status line says where the packet is. On a page served by the local lab server
 * (`npm start`), "Run it live" sends the same probe in the reader's own sandbox and the hops
 * replace the recorded ones as the kernel reports them. Loaded on the first "Step through".
 */
import { CONFIG_ID, type LiveConfig } from '../../../contract/live.ts';

export function play(figure: HTMLElement): void {
  if (figure.dataset.kwalkPlaying !== undefined) return;
  figure.dataset.kwalkPlaying = '';
  const prev = figure.querySelector<HTMLButtonElement>('[data-kwalk-prev]')!;
  const next = figure.querySelector<HTMLButtonElement>('[data-kwalk-next]')!;
  const start = figure.querySelector<HTMLButtonElement>('[data-kwalk-start]')!;
  const status = figure.querySelector<HTMLElement>('[data-kwalk-status]')!;
  const hops = () => [...figure.querySelectorAll<HTMLElement>('[data-kwalk-hop]')];
  let current = 0;

  const show = (index: number, announce = true): void => {
    const all = hops();
    if (all.length === 0) return;
    current = Math.max(0, Math.min(all.length - 1, index));
    const hop = all[current]!;
    figure.classList.add('kwalk--stepping');
    all.forEach((h, i) => {
      h.classList.toggle('is-past', i < current);
      if (i === current) h.setAttribute('aria-current', 'step');
      else h.removeAttribute('aria-current');
    });
    for (const box of figure.querySelectorAll<HTMLElement>('.kwalk__map [data-kwalk-ns]')) box.classList.toggle('is-current', box.dataset.kwalkNs === hop.dataset.kwalkNs);
    for (const badge of figure.querySelectorAll<HTMLElement>('[data-kwalk-badge]')) {
      const i = Number(badge.dataset.kwalkBadge);
      badge.classList.toggle('is-current', i === current);
      badge.classList.toggle('is-past', i < current);
    }
    prev.disabled = current === 0;
    next.disabled = current === all.length - 1;
    if (announce) status.textContent = `Hop ${current + 1} of ${all.length}: ${hop.querySelector('.kwalk__summary')?.textContent?.replace(/\s+/g, ' ').trim() ?? ''}`;
    hop.scrollIntoView({ block: 'nearest' });
  };

  prev.hidden = false;
  next.hidden = false;
  start.hidden = true;
  prev.addEventListener('click', () => show(current - 1));
  next.addEventListener('click', () => show(current + 1));
  figure.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowRight' || event.key === 'ArrowDown') show(current + 1);
    else if (event.key === 'ArrowLeft' || event.key === 'ArrowUp') show(current - 1);
    else return;
    event.preventDefault();
  });
  show(0);
  next.focus();

  const configEl = document.getElementById(CONFIG_ID);
  if (configEl) void import('./live-walk.ts').then(({ attachLive }) => attachLive(figure, JSON.parse(configEl.textContent ?? '{}') as LiveConfig, { show: (i) => show(i), status }));
}
