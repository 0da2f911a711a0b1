/**
 * TCPRoute and UDPRoute are `gateway.networking.k8s.io/v1` since Gateway API v1.6, newer than the
 * models of @kubernetes-models/gateway-api: such objects are checked against the v1alpha2 schema
 * (same fields), so a v1 route validates and a broken one is still reported.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkManifest } from '../../../src/lab/validate/manifests.ts';

const route = (kind: string, port: unknown): Record<string, unknown> => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind,
  metadata: { name: 'db', namespace: 'default' },
  spec: { parentRefs: [{ name: 'edge', namespace: 'infra', sectionName: 'l' }], rules: [{ backendRefs: [{ name: 'db', port }] }] },
});

test('a v1 TCPRoute and a v1 UDPRoute validate', async () => {
  assert.deepEqual(await checkManifest(route('TCPRoute', 5432), 'r.yaml', ''), []);
  assert.deepEqual(await checkManifest(route('UDPRoute', 53), 'r.yaml', ''), []);
});

test('a broken v1 TCPRoute is reported with its field path', async () => {
  const issues = await checkManifest(route('TCPRoute', 'x'), 'r.yaml', '');
  assert.equal(issues.length, 1);
  assert.equal(issues[0]!.path, 'spec.rules.0.backendRefs.0.port');
  assert.match(issues[0]!.message, /gateway\.networking\.k8s\.io\/v1 TCPRoute schema/);
});

test('a kind with no model in any version is still unknown', async () => {
  const issues = await checkManifest({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'FooRoute', metadata: { name: 'x' } }, 'r.yaml', '');
  assert.match(issues[0]!.message, /no API schema/);
});
