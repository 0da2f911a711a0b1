import { z } from 'zod';

/** Parses `500ms`, `10s`, `2m` into milliseconds. Returns undefined for anything else. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  return Math.round(m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : n * 60_000);
}

/**
 * A duration written `500ms`, `10s` or `2m`; parsed to milliseconds.
 * @example "30s"
 */
export const durationSchema = z
  .string()
  .regex(/^\d+(?:\.\d+)?(ms|s|m)$/, 'expected a duration like 500ms, 10s or 2m')
  .transform((text) => parseDuration(text) as number)
  .meta({ description: 'A duration: `500ms`, `10s`, `2m`.', examples: ['500ms', '10s', '2m'] });
