import { test } from 'node:test';
import assert from 'node:assert/strict';
import { labJsonSchema } from '../../../src/lab/index.ts';

type Node = Record<string, unknown>;

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Every sub-schema of a JSON Schema with its JSON Pointer-like path, found by walking all keys
 * (properties, items, oneOf/anyOf/allOf, $defs/definitions, ...), so no nesting is missed.
 */
function* subSchemas(node: unknown, path = '#'): Generator<[string, Node]> {
  if (Array.isArray(node)) {
    for (const [index, item] of node.entries()) yield* subSchemas(item, `${path}/${index}`);
    return;
  }
  if (!isNode(node)) return;
  yield [path, node];
  for (const [key, value] of Object.entries(node)) {
    // `examples` and `default` hold data, not schemas.
    if (key === 'examples' || key === 'default' || key === 'const' || key === 'enum') continue;
    yield* subSchemas(value, `${path}/${key}`);
  }
}

function hasDescription(schema: unknown): boolean {
  return isNode(schema) && typeof schema.description === 'string' && schema.description.trim() !== '';
}

/** Paths of properties, definitions and union branches that editors would show without a description. */
function undescribed(root: unknown): string[] {
  const missing: string[] = [];
  for (const [path, node] of subSchemas(root)) {
    const named: [string, unknown][] = [];
    for (const key of ['properties', '$defs', 'definitions']) {
      if (isNode(node[key])) for (const [name, sub] of Object.entries(node[key])) named.push([`${path}/${key}/${name}`, sub]);
    }
    for (const key of ['oneOf', 'anyOf']) {
      if (Array.isArray(node[key])) for (const [index, sub] of node[key].entries()) named.push([`${path}/${key}/${index}`, sub]);
    }
    for (const [subPath, sub] of named) {
      // A bare reference takes its description from the definition, which is checked itself.
      if (isNode(sub) && typeof sub.$ref === 'string' && Object.keys(sub).length === 1) continue;
      if (!hasDescription(sub)) missing.push(subPath);
    }
  }
  return missing;
}

test('every field of labs/schema.json has a description (editors show it on hover and in autocomplete)', () => {
  assert.deepEqual(
    undescribed(labJsonSchema()),
    [],
    'add .meta({ description, examples }) to these fields in src/lab/schema/, then run: npm run lab -- schema',
  );
});

test('the description check finds fields without one, however deep', () => {
  const schema = {
    type: 'object',
    properties: {
      described: { type: 'string', description: 'fine' },
      blank: { type: 'string', description: '  ' },
      list: {
        type: 'array',
        description: 'fine',
        items: { oneOf: [{ type: 'object', description: 'fine', properties: { deep: { type: 'number' } } }, { type: 'string' }] },
      },
      viaRef: { $ref: '#/definitions/thing' },
    },
    definitions: { thing: { type: 'object', properties: { inner: { type: 'string' } } } },
  };
  assert.deepEqual(undescribed(schema).sort(), [
    '#/definitions/thing',
    '#/definitions/thing/properties/inner',
    '#/properties/blank',
    '#/properties/list/items/oneOf/0/properties/deep',
    '#/properties/list/items/oneOf/1',
  ]);
});

test('every duration field shows examples (zod drops examples set after a transform from the input schema)', () => {
  const durations = [...subSchemas(labJsonSchema())].filter(([, node]) => node.pattern === '^\\d+(?:\\.\\d+)?(ms|s|m)$');
  assert.ok(durations.length >= 4, `expected the duration fields (step, command and retry timeouts, retry interval), found ${durations.length}`);
  for (const [path, node] of durations) {
    assert.ok(Array.isArray(node.examples) && node.examples.length > 0, `${path}: no examples`);
    for (const example of node.examples as unknown[]) assert.match(String(example), /^\d+(?:\.\d+)?(ms|s|m)$/, `${path}: example ${String(example)} is not a duration`);
  }
});
