import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { labJsonSchemaText } from '../../../src/lab/index.ts';

test('labs/schema.json is up to date (regenerate with: npm run lab -- schema)', () => {
  assert.equal(readFileSync('labs/schema.json', 'utf8'), labJsonSchemaText());
});

test('the JSON Schema is strict: unknown fields are not allowed', () => {
  const schema = JSON.parse(labJsonSchemaText()) as { additionalProperties?: boolean; required?: string[] };
  assert.equal(schema.additionalProperties, false);
  assert.deepEqual(schema.required, ['schema', 'id', 'title', 'chapter', 'backend', 'summary', 'steps']);
});
