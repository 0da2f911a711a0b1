import { z } from 'zod';

/** Parses `500ms`, `10s`, `2m` into milliseconds. Returns undefined for anything else. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  return Math.round(m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : n * 60_000);
}

/** What an editor shows for a duration field (hover, autocomplete). */
export type DurationMeta = {
  description: string;
  examples: string[];
};

/**
 * A duration field with its own description and examples. The metadata sits on the string, before
 * the transform: zod drops `examples` of a transforming schema from the input-side JSON Schema
 * (they would be output values), and lab.yaml is written on the input side.
 */
export function duration(meta: DurationMeta) {
  return z
    .string()
    .regex(/^\d+(?:\.\d+)?(ms|s|m)$/, 'expected a duration like 500ms, 10s or 2m')
    .meta(meta)
    .transform((text) => parseDuration(text) as number);
}

/**
 * A duration written `500ms`, `10s` or `2m`; parsed to milliseconds.
 * @example "30s"
 */
export const durationSchema = duration({
  description: 'A duration: a number followed by `ms`, `s` or `m`, e.g. `500ms`, `10s`, `2m`.',
  examples: ['500ms', '10s', '2m'],
});
