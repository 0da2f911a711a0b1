import { z } from 'zod';
import type { Issue as ValidationIssue } from '../errors.ts';

/**
 * The kind `Cluster` config, v1alpha4, as kind v0.32.0 reads it (pkg/apis/config/v1alpha4/types.go
 * at tag v0.32.0). Strict: kind itself ignores nothing silently only since some versions, so a typo
 * (`extraPortMapping`) would otherwise be dropped without a word.
 */
const patchJSON6902 = z.strictObject({ group: z.string(), version: z.string(), kind: z.string(), patch: z.string() });

const mount = z.strictObject({
  containerPath: z.string().optional(),
  hostPath: z.string().optional(),
  readOnly: z.boolean().optional(),
  selinuxRelabel: z.boolean().optional(),
  propagation: z.enum(['None', 'HostToContainer', 'Bidirectional']).optional(),
});

const portMapping = z.strictObject({
  containerPort: z.number().int().optional(),
  hostPort: z.number().int().optional(),
  listenAddress: z.string().optional(),
  protocol: z.enum(['TCP', 'UDP', 'SCTP']).optional(),
});

const node = z.strictObject({
  role: z.enum(['control-plane', 'worker']).optional(),
  image: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  extraMounts: z.array(mount).optional(),
  extraPortMappings: z.array(portMapping).optional(),
  kubeadmConfigPatches: z.array(z.string()).optional(),
  kubeadmConfigPatchesJSON6902: z.array(patchJSON6902).optional(),
});

const networking = z.strictObject({
  ipFamily: z.enum(['ipv4', 'ipv6', 'dual']).optional(),
  apiServerPort: z.number().int().optional(),
  apiServerAddress: z.string().optional(),
  podSubnet: z.string().optional(),
  serviceSubnet: z.string().optional(),
  disableDefaultCNI: z.boolean().optional(),
  kubeProxyMode: z.enum(['iptables', 'ipvs', 'nftables', 'none']).optional(),
  dnsSearch: z.array(z.string()).nullable().optional(),
});

export const kindClusterSchema = z.strictObject({
  kind: z.literal('Cluster'),
  apiVersion: z.literal('kind.x-k8s.io/v1alpha4'),
  name: z.string().optional(),
  nodes: z.array(node).optional(),
  networking: networking.optional(),
  featureGates: z.record(z.string(), z.boolean()).optional(),
  runtimeConfig: z.record(z.string(), z.string()).optional(),
  kubeadmConfigPatches: z.array(z.string()).optional(),
  kubeadmConfigPatchesJSON6902: z.array(patchJSON6902).optional(),
  containerdConfigPatches: z.array(z.string()).optional(),
  containerdConfigPatchesJSON6902: z.array(z.string()).optional(),
});

const pathOf = (parts: readonly PropertyKey[]): string => (parts.length === 0 ? '(top level)' : parts.map(String).join('.'));

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return JSON.stringify(value);
}

function at(root: unknown, parts: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of parts) value = value && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

/** Checks a parsed kind config; `labId` is the cluster name the backend passes with `--name`. */
export function checkKindConfig(config: unknown, file: string, labId: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const result = kindClusterSchema.safeParse(config);
  if (!result.success) {
    for (const issue of result.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          issues.push({
            file,
            path: pathOf([...issue.path, key]),
            message: `unknown field "${key}" in a kind v1alpha4 Cluster config (check its spelling against https://kind.sigs.k8s.io/docs/user/configuration/)`,
          });
        }
      } else if (issue.code === 'invalid_value') {
        const expected = issue.values.map((v) => JSON.stringify(v)).join(', ');
        issues.push({ file, path: pathOf(issue.path), message: `expected one of ${expected}, received ${describe(at(config, issue.path))}` });
      } else if (issue.code === 'invalid_type') {
        issues.push({ file, path: pathOf(issue.path), message: `expected ${issue.expected === 'array' ? 'a list' : issue.expected}, received ${describe(at(config, issue.path))}` });
      } else {
        issues.push({ file, path: pathOf(issue.path), message: issue.message });
      }
    }
  }
  // Rules of this project, checked even when the schema failed so one run shows every problem.
  const cluster = (config && typeof config === 'object' ? config : {}) as { name?: unknown; nodes?: unknown };
  if (cluster.name !== undefined && cluster.name !== labId) {
    issues.push({ file, path: 'name', message: `expected no name or "${labId}" (the cluster is always named after the lab), received ${JSON.stringify(cluster.name)}` });
  }
  const nodes = Array.isArray(cluster.nodes) ? (cluster.nodes as { image?: unknown; role?: unknown }[]) : undefined;
  nodes?.forEach((n, index) => {
    if (n && typeof n === 'object' && n.image !== undefined) {
      issues.push({
        file,
        path: `nodes.${index}.image`,
        message: 'remove it: the node image comes from labs/versions.yaml (kind.node.image), pinned by digest',
      });
    }
  });
  if (nodes && !nodes.some((n) => (n?.role ?? 'control-plane') === 'control-plane')) {
    issues.push({ file, path: 'nodes', message: 'expected at least one node with role control-plane' });
  }
  return issues;
}
