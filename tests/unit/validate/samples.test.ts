/**
 * A check's sample is what the page shows where no recording exists (every kind lab): validate
 * refuses one the check itself would fail, so a page cannot show output its lab contradicts.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { validateLabById } from '../../../src/lab/validate/index.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lab-samples-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function labWithSample(sample: string): string {
  const labs = mkdtempSync(path.join(tmp, 'labs-'));
  mkdirSync(path.join(labs, 'sampled'));
  writeFileSync(
    path.join(labs, 'sampled', 'lab.yaml'),
    [
      'schema: 1',
      'id: sampled',
      'title: sampled',
      'chapter: tests',
      'backend: sandbox',
      'summary: sampled',
      'steps:',
      '  - id: counts',
      '    title: counts',
      '    type: check',
      "    run: 'printf \"%7d web-v2\\n\" 20'",
      "    expect: { stdout: ['^\\s+20 web-v2$'], stdoutNot: ['web-v1'] }",
      '    breaks: [{ why: never, run: "true" }]',
      `    sample: ${JSON.stringify(sample)}`,
      '',
    ].join('\n'),
  );
  return labs;
}

test('a sample its own check would fail is refused, with the reason', async () => {
  const issues = await validateLabById('sampled', { labsDir: labWithSample('20 web-v2\n') });
  assert.deepEqual(
    issues.map((i) => `${i.path}: ${i.message}`),
    ['steps.0.sample: the sample would fail its own check (stdout did not match /^\\s+20 web-v2$/): show output the check passes on, from a real run'],
  );
  const forbidden = await validateLabById('sampled', { labsDir: labWithSample('     20 web-v2\n      1 web-v1\n') });
  assert.match(forbidden[0]?.message ?? '', /stdout matched \/web-v1\/ .* but must not/);
});

test('a sample the check passes on is accepted', async () => {
  assert.deepEqual(await validateLabById('sampled', { labsDir: labWithSample('     20 web-v2\n') }), []);
});
