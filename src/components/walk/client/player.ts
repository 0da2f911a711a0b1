/**
 * Steps through a packet walk already in the page: previous and next (buttons, or the arrow keys
 * while focus is in the walk) move the current hop, which is marked in the list
 * (aria-current="step") and on the map; the status line says where the packet is. Loaded on the
 * first click of "Step through the walk".
 */
export function play(figure: HTMLElement): void {
  if (figure.dataset.kwalkPlaying) return;
  figure.dataset.kwalkPlaying = '';
  const hops = [...figure.querySelectorAll<HTMLElement>('[data-kwalk-hop]')];
  const prev = figure.querySelector<HTMLButtonElement>('[data-kwalk-prev]')!;
  const next = figure.querySelector<HTMLButtonElement>('[data-kwalk-next]')!;
  const start = figure.querySelector<HTMLButtonElement>('[data-kwalk-start]')!;
  const status = figure.querySelector<HTMLElement>('[data-kwalk-status]')!;
  let current = 0;

  const show = (index: number): void => {
    current = Math.max(0, Math.min(hops.length - 1, index));
    const hop = hops[current]!;
    figure.classList.add('kwalk--stepping');
    hops.forEach((h, i) => {
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
    next.disabled = current === hops.length - 1;
    const summary = hop.querySelector('.kwalk__summary')?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
    status.textContent = `Hop ${current + 1} of ${hops.length}: ${summary}`;
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
}
