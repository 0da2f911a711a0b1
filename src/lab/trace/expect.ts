import type { WalkExpect } from '../schema/walk.ts';
import type { Walk } from './types.ts';

/** Namespaces of a direction, tunnel hops left out (they depend on the underlay, not the route). */
function path(hops: Walk['request']['hops']): string[] {
  return hops.filter((h) => !h.outer).map((h) => h.ns);
}

function matchesPath(actual: string[], expected: string): boolean {
  return new RegExp(`^(?:${expected})$`).test(actual.join(' '));
}

/** Whether a walk shows what its lab says it must; the reason when it does not. */
export function checkWalk(walk: Walk, expect: WalkExpect): { passed: boolean; reason?: string } {
  const request = path(walk.request.hops);
  if (walk.request.hops.length === 0) return { passed: false, reason: 'the probe was not seen leaving its namespace' };
  if (!matchesPath(request, expect.path)) return { passed: false, reason: `the request took ${request.join(' → ')}, not /${expect.path}/` };
  if (walk.request.outcome !== expect.outcome) return { passed: false, reason: `the request was ${walk.request.outcome}, not ${expect.outcome}` };
  const rules = walk.request.hops.flatMap((h) => h.rules.map((r) => `${r.chain}: ${r.rule}`));
  const missing = expect.rules.find((source) => !rules.some((rule) => new RegExp(source).test(rule)));
  if (missing) return { passed: false, reason: `no rule the request met matches /${missing}/` };
  if (expect.reply) {
    if (!walk.reply) return { passed: false, reason: 'no reply was seen' };
    const reply = path(walk.reply.hops);
    if (!matchesPath(reply, expect.reply)) return { passed: false, reason: `the reply took ${reply.join(' → ')}, not /${expect.reply}/` };
    if (walk.reply.outcome !== 'delivered') return { passed: false, reason: `the reply was ${walk.reply.outcome}` };
  }
  return { passed: true };
}
