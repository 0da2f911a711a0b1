import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { labJsonSchemaText, labSchema } from '../../../src/lab/index.ts';
import { schemaIssues } from '../../../src/lab/errors.ts';

test('labs/schema.json is up to date (regenerate with: npm run lab -- schema)', () => {
  assert.equal(readFileSync('labs/schema.json', 'utf8'), labJsonSchemaText());
});

test('the JSON Schema is strict: unknown fields are not allowed', () => {
  const schema = JSON.parse(labJsonSchemaText()) as { additionalProperties?: boolean; required?: string[] };
  assert.equal(schema.additionalProperties, false);
  assert.deepEqual(schema.required, ['schema', 'id', 'title', 'chapter', 'backend', 'summary', 'steps']);
});


/** Problems the schema finds in a lab, as `path: message` lines. */
function problems(lab: Record<string, unknown>): string[] {
  const input = { schema: 1, id: 'x', title: 'x', chapter: 'tests', backend: 'sandbox', summary: 'x', ...lab };
  const result = labSchema.safeParse(input);
  return result.success ? [] : schemaIssues('lab.yaml', result.error.issues, input).map((i) => `${i.path}: ${i.message}`);
}

test('a check without a way to break it is refused, with what to do', () => {
  assert.deepEqual(problems({ steps: [{ id: 'c', title: 'c', type: 'check', run: 'true' }] }), [
    'steps.0.breaks: a check needs at least one way to break what it checks (`breaks: [{ why, run, restore }]`), so `lab prove` can show it fails when the data plane is broken; a check that cannot fail proves nothing (labs/README.md, "Honest checks")',
  ]);
  assert.deepEqual(problems({ steps: [{ id: 'c', title: 'c', type: 'check', run: 'true', breaks: [{ why: 'w', run: 'r' }] }] }), []);
  // An exercise's unsolved state is its proof; breaks are optional there.
  assert.deepEqual(problems({ steps: [{ id: 'e', title: 'e', type: 'exercise', task: 't', run: 'true', solution: { run: 's' } }] }), []);
});

test('daemons: sandbox only, unique names, a readiness check', () => {
  const daemon = { name: 'dns', run: 'dnsmasq -k', ready: { run: 'dig @127.0.0.1 x' } };
  const steps = [{ id: 'd', title: 'd', type: 'demo', run: 'true' }];
  assert.deepEqual(problems({ daemons: [daemon], steps }), []);
  assert.deepEqual(problems({ daemons: [daemon, daemon], steps }), ['daemons.1.name: duplicate daemon name "dns" (first used by daemons.0)']);
  assert.deepEqual(problems({ daemons: [{ name: 'dns', run: 'dnsmasq -k' }], steps }), ['daemons.0.ready: missing; expected an object']);
  assert.deepEqual(problems({ backend: 'kind', cluster: { config: 'kind.yaml' }, daemons: [daemon], steps }), ['daemons: expected no daemons in a kind lab: run long-lived processes as pods in the cluster']);
});

test('a prerequisite is an executable (with install hints) or a kernel module', () => {
  const steps = [{ id: 'd', title: 'd', type: 'demo', run: 'true' }];
  assert.deepEqual(problems({ prerequisites: [{ module: 'vxlan', why: 'w' }], steps }), []);
  assert.deepEqual(problems({ prerequisites: [{ why: 'w' }], steps }), ['prerequisites.0: expected exactly one of `command` (an executable) or `module` (a kernel module)']);
  assert.deepEqual(problems({ prerequisites: [{ command: 'x', why: 'w' }], steps }), ['prerequisites.0.install: missing; expected install hints for the command (debian, fedora, macos or other)']);
});
