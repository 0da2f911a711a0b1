import type { WalkExpect } from '../schema/walk.ts';
import type { Walk, WalkDirection } from './types.ts';

/** Namespaces of a direction, tunnel hops left out (they depend on the underlay, not the route). */
function path(hops: Walk['request']['hops']): string[] {
  return hops.filter((h) => !h.outer).map((h) => h.ns);
}

function matchesPath(actual: string[], expected: string): boolean {
  return new RegExp(`^(?:${expected})$`).test(actual.join(' '));
}

/** Every rule a direction met, as `<family> <table> <chain>: <rule>`. */
export function rulesOf(direction: WalkDirection): string[] {
  return direction.hops.flatMap((h) => h.rules.map((r) => `${r.chain}: ${r.rule}`));
}

/** Every rewrite a direction underwent, as `<namespace> <kind>: <change>`. */
export function rewritesOf(direction: WalkDirection): string[] {
  return direction.hops.flatMap((h) => h.rewrites.map((r) => `${h.ns} ${r.kind}: ${r.change}`));
}

/** The first pattern nothing in `seen` matches. */
function unmatched(patterns: string[], seen: string[]): string | undefined {
  return patterns.find((source) => !seen.some((text) => new RegExp(source).test(text)));
}

/** The rewrites seen, for a reason that says what was there instead. */
function listed(seen: string[]): string {
  return seen.length > 0 ? ` (seen: ${seen.join('; ')})` : ' (none seen)';
}

/** Whether a walk shows what its lab says it must; the reason when it does not. */
export function checkWalk(walk: Walk, expect: WalkExpect): { passed: boolean; reason?: string } {
  const request = path(walk.request.hops);
  if (walk.request.hops.length === 0) return { passed: false, reason: 'the probe was not seen leaving its namespace' };
  if (!matchesPath(request, expect.path)) return { passed: false, reason: `the request took ${request.join(' → ')}, not /${expect.path}/` };
  if (walk.request.outcome !== expect.outcome) return { passed: false, reason: `the request was ${walk.request.outcome}, not ${expect.outcome}` };
  const missingRule = unmatched(expect.rules, rulesOf(walk.request));
  if (missingRule) return { passed: false, reason: `no rule the request met matches /${missingRule}/` };
  const rewrites = rewritesOf(walk.request);
  const missingRewrite = unmatched(expect.rewrites ?? [], rewrites);
  if (missingRewrite) return { passed: false, reason: `no rewrite of the request matches /${missingRewrite}/${listed(rewrites)}` };
  if (expect.reply !== undefined) {
    const want = typeof expect.reply === 'string' ? { path: expect.reply, rules: [], rewrites: [] } : expect.reply;
    if (!walk.reply) return { passed: false, reason: 'no reply was seen' };
    const reply = path(walk.reply.hops);
    if (!matchesPath(reply, want.path)) return { passed: false, reason: `the reply took ${reply.join(' → ')}, not /${want.path}/` };
    if (walk.reply.outcome !== 'delivered') return { passed: false, reason: `the reply was ${walk.reply.outcome}` };
    const missingReplyRule = unmatched(want.rules ?? [], rulesOf(walk.reply));
    if (missingReplyRule) return { passed: false, reason: `no rule the reply met matches /${missingReplyRule}/` };
    const replyRewrites = rewritesOf(walk.reply);
    const missingReplyRewrite = unmatched(want.rewrites ?? [], replyRewrites);
    if (missingReplyRewrite) return { passed: false, reason: `no rewrite of the reply matches /${missingReplyRewrite}/${listed(replyRewrites)}` };
  }
  return { passed: true };
}
