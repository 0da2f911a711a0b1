import type { Issue as ValidationIssue } from '../errors.ts';

/**
 * Checks one Kubernetes object against the real API schemas shipped by `kubernetes-models`
 * (core and built-in groups) and `@kubernetes-models/gateway-api` (Gateway API CRDs): the model
 * class for its apiVersion/kind is constructed and `.validate()` run.
 */

/** CRD groups of the CNIs and add-ons the labs install; no model package exists for them. */
const CRD_GROUPS_WITHOUT_MODELS = new Set([
  'cilium.io',
  'metallb.io',
  'projectcalico.org',
  'crd.projectcalico.org',
  'operator.tigera.io',
  'policy.networking.k8s.io',
]);

const GATEWAY_GROUPS = new Set(['gateway.networking.k8s.io', 'gateway.networking.x-k8s.io']);

interface Model {
  validate(): void;
}
type ModelClass = new (data: unknown) => Model;

/**
 * Gateway API v1.6 made TCPRoute and UDPRoute `v1` with the fields of their `v1alpha2` schema;
 * @kubernetes-models/gateway-api 2.0.0 predates v1.6 and has only the `v1alpha2` models, so a
 * `v1` object of these kinds is checked against those (its apiVersion swapped for the check).
 */
const GATEWAY_V1_FROM_V1ALPHA2 = new Set(['TCPRoute', 'UDPRoute']);

async function modelFor(apiVersion: string, kind: string): Promise<ModelClass | undefined> {
  if (!/^[A-Z][A-Za-z0-9]*$/.test(kind) || !/^([a-z0-9.-]+\/)?v[0-9a-z]+$/.test(apiVersion)) return undefined;
  const [group, version] = apiVersion.includes('/') ? (apiVersion.split('/') as [string, string]) : ['', apiVersion];
  const specifier = GATEWAY_GROUPS.has(group)
    ? `@kubernetes-models/gateway-api/${group}/${version}/${kind}`
    : `kubernetes-models/${group ? `${group}/` : ''}${version}/${kind}`;
  try {
    const mod = (await import(specifier)) as Record<string, unknown>;
    const found = mod[kind];
    if (typeof found === 'function') return found as ModelClass;
  } catch {
    // no model for this apiVersion and kind
  }
  if (group === 'gateway.networking.k8s.io' && version === 'v1' && GATEWAY_V1_FROM_V1ALPHA2.has(kind)) {
    const alpha = `${group}/v1alpha2`;
    const Alpha = await modelFor(alpha, kind);
    if (!Alpha) return undefined;
    return class {
      readonly data: unknown;
      constructor(data: unknown) {
        this.data = data;
      }
      validate(): void {
        new Alpha({ ...(this.data as Record<string, unknown>), apiVersion: alpha }).validate();
      }
    };
  }
  return undefined;
}

interface AjvError {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** `/spec/containers/0` → `spec.containers.0` */
function ajvPath(pointer: string | undefined): string {
  const parts = (pointer ?? '').split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  return parts.length === 0 ? '(top level)' : parts.join('.');
}

function ajvMessage(error: AjvError, doc: unknown): string {
  if (error.params && typeof error.params.type === 'string') {
    const type = error.params.type;
    const expected = type === 'array' ? 'a list' : type === 'object' ? 'an object' : `a ${type}`;
    let value: unknown = doc;
    for (const key of (error.instancePath ?? '').split('/').slice(1)) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    const received = Array.isArray(value) ? 'a list' : value === null ? 'null' : typeof value === 'object' ? 'an object' : typeof value;
    return `expected ${expected}, received ${received}`;
  }
  if (error.params && 'allowedValues' in error.params) {
    return `${error.message ?? 'invalid'}: ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  }
  if (error.params && 'missingProperty' in error.params) return `missing required field "${String(error.params.missingProperty)}"`;
  return error.message ?? 'invalid';
}

/**
 * Validates one parsed YAML document. `prefix` is prepended to field paths when a file holds several
 * documents (`[1].spec.containers`).
 */
export async function checkManifest(doc: unknown, file: string, prefix: string): Promise<ValidationIssue[]> {
  const where = (p: string): string => (prefix ? `${prefix}.${p}` : p).replace(/\.\(top level\)$/, '');
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    return [{ file, path: where('(top level)'), message: 'expected a Kubernetes object (a mapping with apiVersion and kind)' }];
  }
  const obj = doc as Record<string, unknown>;
  const { apiVersion, kind } = obj;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    return [{ file, path: where(typeof apiVersion !== 'string' ? 'apiVersion' : 'kind'), message: 'expected a Kubernetes object with apiVersion and kind' }];
  }
  const metadata = obj.metadata as Record<string, unknown> | undefined;
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0]! : '';
  const Model = await modelFor(apiVersion, kind);
  if (!Model) {
    if (CRD_GROUPS_WITHOUT_MODELS.has(group)) {
      return typeof metadata?.name === 'string' ? [] : [{ file, path: where('metadata.name'), message: 'expected a name' }];
    }
    return [
      {
        file,
        path: where('kind'),
        message: `no API schema for ${apiVersion} ${kind}: check apiVersion and kind (kubernetes-models knows the built-in APIs, @kubernetes-models/gateway-api the Gateway API)`,
      },
    ];
  }
  try {
    new Model(obj).validate();
    return [];
  } catch (error) {
    const errors = (error as { errors?: AjvError[] }).errors;
    if (!Array.isArray(errors) || errors.length === 0) return [{ file, path: where('(top level)'), message: (error as Error).message }];
    const seen = new Set<string>();
    const issues: ValidationIssue[] = [];
    for (const e of errors) {
      const issue = { file, path: where(ajvPath(e.instancePath)), message: `${ajvMessage(e, obj)} (${apiVersion} ${kind} schema)` };
      const key = `${issue.path}\0${issue.message}`;
      if (!seen.has(key)) {
        seen.add(key);
        issues.push(issue);
      }
    }
    return issues;
  }
}
