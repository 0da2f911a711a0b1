/**
 * A hop as list-item markup in the browser, for live walks: the same parts PacketWalk.astro
 * renders at build time (summary, how it leaves, rewrites, the rules met, the route).
 */
import type { Hop, PacketHeaders } from '../../../lab/trace/types.ts';

const kindText: Record<Hop['kind'], string> = { sent: 'sent', forwarded: 'routed', bridged: 'bridged', delivered: 'delivered', dropped: 'dropped', encapsulated: 'tunnel', decapsulated: 'tunnel', left: 'left' };

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined) node.textContent = text;
  return node;
}

function endpoint(h: PacketHeaders, side: 'src' | 'dst'): string {
  const port = side === 'src' ? h.sport : h.dport;
  const address = side === 'src' ? h.src : h.dst;
  return port === undefined ? address : h.family === 6 ? `[${address}]:${port}` : `${address}:${port}`;
}

export function hopItem(hop: Hop, index: number): HTMLLIElement {
  const li = el('li', `kwalk__hop kwalk__hop--${hop.kind}${hop.outer ? ' kwalk__hop--outer' : ''}`);
  li.dataset.kwalkHop = String(index);
  li.dataset.kwalkNs = hop.ns;
  const summary = el('p', 'kwalk__summary');
  summary.append(el('span', 'kwalk__tag', kindText[hop.kind]), ' ', el('strong', undefined, hop.ns), ` ${hop.summary.slice(hop.ns.length + 1).split('; ')[0]}`);
  li.append(summary);
  if (hop.after) {
    const p = el('p', 'kwalk__packet', 'leaves as ');
    p.append(el('code', undefined, `${endpoint(hop.after, 'src')} → ${endpoint(hop.after, 'dst')}`));
    li.append(p);
  }
  for (const r of hop.rewrites) {
    const p = el('p', 'kwalk__rewrite');
    p.append(el('span', 'kwalk__tag kwalk__tag--rewrite', r.kind), ` ${r.change}`);
    if (r.rule) p.append(' · ', el('code', undefined, r.rule));
    li.append(p);
  }
  if (hop.rules.length > 0) {
    const details = el('details', 'kwalk__rules');
    details.append(el('summary', undefined, `${hop.rules.length} netfilter rule${hop.rules.length === 1 ? '' : 's'} met`));
    const ul = el('ul');
    for (const r of hop.rules) {
      const item = el('li');
      item.append(el('code', 'kwalk__chain', r.chain), ' ', el('code', undefined, r.rule));
      if (!r.rule.endsWith(r.verdict)) item.append(el('span', 'kwalk__verdict', ` → ${r.verdict}`));
      ul.append(item);
    }
    details.append(ul);
    li.append(details);
  }
  if (hop.route) {
    const p = el('p', 'kwalk__route', 'route: ');
    p.append(el('code', undefined, hop.route));
    li.append(p);
  }
  return li;
}
