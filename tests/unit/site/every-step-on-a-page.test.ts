/**
 * Every step of every lab is explained on a page: a step no page embeds is one the reader never
 * sees next to the text it backs, and the lab card could only list it without a link.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { stepPages } from '../../../src/components/lab/step-pages.ts';
import { loadAllLabs } from '../../../src/lab/index.ts';

test('every step of every lab is embedded on at least one page', async () => {
  const pages = await stepPages(path.resolve('content'));
  const missing = (await loadAllLabs()).flatMap((lab) => lab.steps.filter((step) => !pages.has(`${lab.id}/${step.id}`)).map((step) => `${lab.id}/${step.id}`));
  assert.deepEqual(missing, [], `steps on no page (embed each with <LabStep lab="…" step="…" /> where the text explains it, or remove it):\n  ${missing.join('\n  ')}`);
});
