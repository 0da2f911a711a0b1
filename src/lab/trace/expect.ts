import type { WalkExpect } from '../schema/walk.ts';
import type { Walk, WalkDirection, WalkOutcome } from './types.ts';

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

interface DirectionExpect {
  path: string;
  outcome: WalkOutcome;
  rules?: string[];
  rewrites?: string[];
}

/** What one direction lacks of what is expected of it, or undefined when it shows all of it. */
function lacking(name: 'request' | 'reply', direction: WalkDirection, want: DirectionExpect): string | undefined {
  const taken = path(direction.hops);
  if (!matchesPath(taken, want.path)) return `the ${name} took ${taken.join(' → ')}, not /${want.path}/`;
  if (direction.outcome !== want.outcome) return `the ${name} was ${direction.outcome}, not ${want.outcome}`;
  const missingRule = unmatched(want.rules ?? [], rulesOf(direction));
  if (missingRule) return `no rule the ${name} met matches /${missingRule}/`;
  const rewrites = rewritesOf(direction);
  const missingRewrite = unmatched(want.rewrites ?? [], rewrites);
  if (missingRewrite) return `no rewrite of the ${name} matches /${missingRewrite}/${listed(rewrites)}`;
  return undefined;
}

/** Whether a walk shows what its lab says it must; the reason when it does not. */
export function checkWalk(walk: Walk, expect: WalkExpect): { passed: boolean; reason?: string } {
  if (walk.request.hops.length === 0) return { passed: false, reason: 'the probe was not seen leaving its namespace' };
  const request = lacking('request', walk.request, expect);
  if (request) return { passed: false, reason: request };
  if (expect.reply !== undefined) {
    if (!walk.reply) return { passed: false, reason: 'no reply was seen' };
    const want = typeof expect.reply === 'string' ? { path: expect.reply } : expect.reply;
    // A reply only counts once delivered: one dropped on its way back is a failed walk.
    const reply = lacking('reply', walk.reply, { ...want, outcome: 'delivered' });
    if (reply) return { passed: false, reason: reply };
  }
  return { passed: true };
}
