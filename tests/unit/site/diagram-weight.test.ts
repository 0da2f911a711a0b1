/**
 * A diagram is inlined into its page: one rendering of 246 KiB (Mermaid draws a stadium shape as
 * a path of thousands of points) made the policy enforcement page 97 KiB of gzipped HTML. Every
 * committed rendering stays under a budget, and the message says what usually causes it.
 */
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

const BUDGET = 64 * 1024;

test(`every committed diagram rendering is under ${BUDGET / 1024} KiB`, () => {
  const dir = path.resolve('content/_diagrams');
  const svgs = readdirSync(dir).filter((f) => f.endsWith('.svg'));
  assert.ok(svgs.length > 0, 'there are renderings to check');
  const heavy = svgs.map((f) => ({ f, size: statSync(path.join(dir, f)).size })).filter((s) => s.size > BUDGET);
  assert.deepEqual(
    heavy.map((h) => `${h.f}: ${Math.round(h.size / 1024)} KiB`),
    [],
    'heavy renderings: a stadium (["…"]) or other curved shape drawn as a long path is the usual cause; use a rectangle or a rounded one ("(…)")',
  );
});
