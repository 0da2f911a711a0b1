import type { Hop, Walk } from '../lab/trace/types.ts';

/** A packet walk as text for the terminal: each hop, its rules, rewrites and route. */
export function renderWalk(walk: Walk, color: boolean): string {
  const paint = (code: string, text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const out: string[] = [];
  const hop = (h: Hop, n: number): void => {
    const mark = h.kind === 'dropped' ? paint('31', '✗') : h.kind === 'delivered' ? paint('32', '✓') : h.outer ? paint('35', '⇢') : paint('36', '→');
    out.push(`${String(n).padStart(3)}. ${mark} ${paint('1', h.ns)}: ${h.summary.replace(new RegExp(`^${h.ns} `), '')}`);
    for (const r of h.rules) out.push(`        ${paint('2', r.chain)}  ${r.rule}${r.verdict && !r.rule.endsWith(r.verdict) ? paint('2', `  → ${r.verdict}`) : ''}`);
    for (const w of h.rewrites) out.push(`        ${paint('33', w.kind)}: ${w.change}`);
    if (h.route) out.push(`        ${paint('2', 'route:')} ${h.route}`);
  };
  out.push(paint('1', `Request: ${walk.from} → ${walk.to} (${walk.proto})`));
  walk.request.hops.forEach((h, i) => hop(h, i + 1));
  out.push(`     ${walk.request.outcome === 'delivered' ? paint('32', 'delivered') : walk.request.outcome === 'dropped' ? paint('31', 'dropped') : paint('31', 'lost: no namespace reported it after this hop')}`);
  if (walk.reply) {
    out.push(paint('1', 'Reply:'));
    walk.reply.hops.forEach((h, i) => hop(h, i + 1));
    out.push(`     ${walk.reply.outcome === 'delivered' ? paint('32', 'delivered') : paint('31', walk.reply.outcome)}`);
  } else if (walk.request.outcome === 'delivered') out.push(paint('2', '     no reply was seen'));
  if (walk.timing) out.push(paint('2', `first hop ${walk.timing.firstHopMs ?? '-'} ms after the probe; walk done in ${walk.timing.doneMs} ms`));
  return `${out.join('\n')}\n`;
}
