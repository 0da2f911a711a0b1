/**
 * What the kind-labs workflow (.github/workflows/kind-labs.yml) runs, read from the repository so
 * the workflow never lists a lab or a version itself:
 *   node src/ci/kind-labs.ts plan     prints `labs=<JSON ids>`, `kind=`, `kubectl=`, `helm=` lines for $GITHUB_OUTPUT
 *   node src/ci/kind-labs.ts summary <results-dir>   prints a Markdown pass/fail table from the
 *                                     per-lab result files the jobs upload (`<lab>.result`: "pass" or "fail")
 * A contributor runs the same locally with the commands in README.md ("kind labs for real").
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { defaultLabsDir, listLabIds } from '../lab/index.ts';

/** Ids of the labs on disk whose backend is kind (read from each lab.yaml, valid or not). */
export async function kindLabIds(labsDir = defaultLabsDir): Promise<string[]> {
  const ids = await listLabIds({ labsDir });
  return ids.filter((id) => {
    try {
      return (parse(readFileSync(join(labsDir, id, 'lab.yaml'), 'utf8')) as { backend?: unknown })?.backend === 'kind';
    } catch {
      return false;
    }
  });
}

export interface ToolVersions {
  kind: string;
  kubectl: string;
  helm: string;
}

const v = (version: unknown) => (version === undefined ? undefined : `v${String(version).replace(/^v/, '')}`);

/**
 * The tool versions to install, from labs/versions.yaml: kind's pinned version; kubectl's pinned
 * version if any, else the Kubernetes version of the pinned node image (the skew policy's safest
 * choice); Helm's pinned version if any, else the oldest one the labs support.
 */
export function toolVersions(versions: Record<string, Record<string, unknown>>): ToolVersions {
  const kind = v(versions.kind?.version);
  const kubectl = v(versions.kubectl?.version) ?? v((versions.kind?.node as Record<string, unknown> | undefined)?.kubernetes);
  const helm = v(versions.helm?.version) ?? v(versions.helm?.minimum);
  if (!kind || !kubectl || !helm) throw new Error(`labs/versions.yaml: need kind.version, kubectl.version or kind.node.kubernetes, and helm.version or helm.minimum (found kind=${kind}, kubectl=${kubectl}, helm=${helm})`);
  return { kind, kubectl, helm };
}

export function summary(results: Record<string, string>): string {
  const ids = Object.keys(results).sort();
  const failed = ids.filter((id) => results[id] !== 'pass');
  return [
    `## kind labs: ${ids.length - failed.length} passed, ${failed.length} failed`,
    '',
    '| lab | result |',
    '| --- | --- |',
    ...ids.map((id) => `| ${id} | ${results[id] === 'pass' ? 'pass' : `**${results[id] || 'no result'}**`} |`),
    '',
  ].join('\n');
}

if (import.meta.main) {
  const [verb, arg] = process.argv.slice(2);
  if (verb === 'plan') {
    const versions = parse(readFileSync(join(defaultLabsDir, 'versions.yaml'), 'utf8')) as Record<string, Record<string, unknown>>;
    const tools = toolVersions(versions);
    console.log(`labs=${JSON.stringify(await kindLabIds())}`);
    for (const [tool, version] of Object.entries(tools)) console.log(`${tool}=${version}`);
  } else if (verb === 'summary' && arg) {
    const results = Object.fromEntries(
      readdirSync(arg, { recursive: true })
        .map(String)
        .filter((f) => f.endsWith('.result'))
        .map((f) => [f.split('/').pop()!.replace(/\.result$/, ''), readFileSync(join(arg, f), 'utf8').trim()]),
    );
    console.log(summary(results));
    process.exitCode = Object.values(results).every((r) => r === 'pass') ? 0 : 1;
  } else {
    console.error('usage: node src/ci/kind-labs.ts plan | summary <results-dir>');
    process.exitCode = 2;
  }
}
