import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadLab, listLabIds, loadAllLabs, LabError } from '../../../src/lab/index.ts';

const labsDir = 'tests/fixtures/lab-loader/labs';
const file = (id: string) => `tests/fixtures/lab-loader/labs/${id}/lab.yaml`;

async function loadError(id: string): Promise<string> {
  try {
    await loadLab(id, { labsDir });
  } catch (error) {
    assert.ok(error instanceof LabError, `a LabError, not ${String(error)}`);
    return error.message;
  }
  assert.fail(`${id} loaded without error`);
}

test('folders starting with _ are not labs', async () => {
  const ids = await listLabIds({ labsDir });
  assert.ok(ids.includes('good-lab'));
  assert.ok(!ids.some((id) => id.startsWith('_')));
});

test('a valid lab loads with defaults applied, durations in ms and versions resolved', async () => {
  const lab = await loadLab('good-lab', { labsDir });
  assert.equal(lab.id, 'good-lab');
  assert.equal(lab.file, file('good-lab'));
  assert.equal(lab.steps[0]!.run, 'echo ping 20221126');
  const check = lab.steps[1]!;
  assert.equal(check.type, 'check');
  if (check.type !== 'check') return;
  assert.deepEqual(check.expect, { exit: 0, stdout: [], stdoutNot: [] });
  assert.deepEqual(check.retry, { timeout: 2000, interval: 1000 });
  assert.equal(check.timeout, 500);
  assert.deepEqual(lab.prerequisites, []);
});

test('an unknown field is an error naming file and field path', async () => {
  assert.equal(await loadError('unknown-field'), `${file('unknown-field')}: steps.0.comand: unknown field "comand" (check its spelling; labs/README.md lists every field)`);
});

test('a missing step id is an error', async () => {
  assert.equal(await loadError('missing-step-id'), `${file('missing-step-id')}: steps.1.id: missing; expected a string`);
});

test('duplicate step ids are an error', async () => {
  assert.equal(await loadError('duplicate-ids'), `${file('duplicate-ids')}: steps.1.id: duplicate step id "show" (first used by steps.0)`);
});

test('a lab from a newer schema is refused with an upgrade hint (before its unknown fields are judged)', async () => {
  assert.equal(await loadError('newer-schema'), `${file('newer-schema')}: schema: 2 is newer than this engine reads (1): this lab needs a newer version of the guide's engine: git pull && npm ci`);
});

test('an unknown version path is an error naming file and field', async () => {
  assert.equal(
    await loadError('unknown-version'),
    `${file('unknown-version')}: steps.0.run: unknown version "tools.pong.version" in {{ tools.pong.version }}: add it to labs/versions.yaml or fix the path`,
  );
});

test('the id must equal the folder name', async () => {
  assert.equal(await loadError('wrong-id'), `${file('wrong-id')}: id: expected "wrong-id" (the folder name), received "not-the-folder-name"`);
});

test('YAML syntax errors carry the line number', async () => {
  assert.match(await loadError('bad-yaml'), /^tests\/fixtures\/lab-loader\/labs\/bad-yaml\/lab\.yaml: line 10: not valid YAML: /);
});

test('every problem is reported, one per line', async () => {
  assert.deepEqual((await loadError('bad-expect')).split('\n'), [
    `${file('bad-expect')}: steps.1.timeout: expected a duration like 500ms, 10s or 2m, received "soon"`,
    `${file('bad-expect')}: steps.1.expect.stdout: expected a list, received the number 1`,
  ]);
});

test('an unknown lab id lists the known ids', async () => {
  assert.equal(
    await loadError('no-such-lab'),
    [
      'unknown lab "no-such-lab": no tests/fixtures/lab-loader/labs/no-such-lab/lab.yaml',
      'known labs: bad-expect, bad-yaml, duplicate-ids, good-lab, missing-step-id, newer-schema, unknown-field, unknown-version, wrong-id',
      'list them with: npm run lab -- list',
    ].join('\n'),
  );
});

test('loadAllLabs reports the problems of every broken lab', async () => {
  await assert.rejects(loadAllLabs({ labsDir }), (error: Error) => {
    assert.match(error.message, /unknown-field\/lab\.yaml: steps\.0\.comand/);
    assert.match(error.message, /duplicate-ids\/lab\.yaml: steps\.1\.id/);
    return true;
  });
});

test('every lab of this repository loads', async () => {
  const labs = await loadAllLabs();
  assert.ok(labs.some((lab) => lab.backend === 'sandbox' && lab.steps.some((s) => s.type === 'exercise')));
});

test('errors carry structured issues, the same as their lines', async () => {
  try {
    await loadLab('bad-expect', { labsDir });
    assert.fail('bad-expect loaded');
  } catch (error) {
    assert.ok(error instanceof LabError);
    assert.deepEqual(
      error.issues.map((i) => [i.file, i.path]),
      [
        [file('bad-expect'), 'steps.1.timeout'],
        [file('bad-expect'), 'steps.1.expect.stdout'],
      ],
    );
  }
});
