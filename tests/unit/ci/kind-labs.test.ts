/**
 * The kind-labs workflow runs every kind lab on disk with the tool versions labs/versions.yaml
 * pins: it lists neither itself (src/ci/kind-labs.ts reads them), and this test fails if the
 * workflow stops taking its matrix and versions from there, or the listing misses a kind lab.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { kindLabIds, summary, toolVersions } from '../../../src/ci/kind-labs.ts';

const workflowText = readFileSync('.github/workflows/kind-labs.yml', 'utf8');
const workflow = parse(workflowText) as {
  on: { push: { paths: string[] }; schedule: { cron: string }[] };
  jobs: Record<string, { needs?: string; strategy?: { matrix: { lab: string } }; steps: { run?: string; if?: string; uses?: string; with?: Record<string, string> }[]; env?: Record<string, string> }>;
};
const runs = (job: string) => workflow.jobs[job]!.steps.map((s) => s.run ?? '').join('\n');

describe('kind labs workflow', () => {
  it('runs on changes to labs/ and weekly', () => {
    assert.ok(workflow.on.push.paths.includes('labs/**'));
    assert.equal(workflow.on.schedule.length, 1);
    assert.match(workflow.on.schedule[0]!.cron, /^\d+ \d+ \* \* \d$/);
  });

  it('takes its lab matrix and tool versions from the plan, which reads the repository', () => {
    assert.match(runs('plan'), /node src\/ci\/kind-labs\.ts plan/);
    assert.equal(workflow.jobs.lab!.strategy!.matrix.lab, '${{ fromJSON(needs.plan.outputs.labs) }}');
    for (const tool of ['kind', 'kubectl', 'helm']) assert.equal(workflow.jobs.lab!.env![`${tool.toUpperCase()}_VERSION`], `\${{ needs.plan.outputs.${tool} }}`);
    // No version is written into the workflow itself.
    assert.doesNotMatch(workflowText, /\bv?\d+\.\d+\.\d+\b/);
  });

  it('runs each lab with a recording, then down whatever happened, and uploads recordings and a summary', () => {
    assert.match(runs('lab'), /npm run lab -- run \$\{\{ matrix\.lab \}\} --record kind-labs\/\$\{\{ matrix\.lab \}\}\.cast/);
    const down = workflow.jobs.lab!.steps.find((s) => s.run?.includes('npm run lab -- down'));
    assert.equal(down?.if, 'always()');
    assert.ok(workflow.jobs.lab!.steps.some((s) => s.uses?.startsWith('actions/upload-artifact') && s.with?.path === 'kind-labs/'));
    assert.match(runs('summary'), /node src\/ci\/kind-labs\.ts summary results/);
  });

  it('proves each lab on its real cluster after running it, and fails the job when either fails', () => {
    const steps = workflow.jobs.lab!.steps as { id?: string; run?: string; if?: string }[];
    const at = (re: RegExp) => steps.findIndex((s) => re.test(s.run ?? ''));
    const prove = steps[at(/npm run lab -- prove \$\{\{ matrix\.lab \}\}/)];
    assert.ok(prove, 'no prove step');
    assert.equal(prove.if, 'always()');
    assert.ok(at(/npm run lab -- prove/) > at(/npm run lab -- run /), 'prove runs after run');
    // A down follows prove whatever happened, so a failed prove leaves no cluster behind.
    assert.ok(steps.slice(at(/npm run lab -- prove/) + 1).some((s) => s.if === 'always()' && /npm run lab -- down/.test(s.run ?? '')));
    assert.match(runs('lab'), /steps\.prove\.outcome/);
    assert.ok(steps.some((s) => s.run === 'exit 1' && /steps\.prove\.outcome != 'success'/.test(s.if ?? '')));
  });

  it('lists every kind lab on disk, and only those', async () => {
    const onDisk = readdirSync('labs', { withFileTypes: true })
      .filter((d) => d.isDirectory() && !/^[_.]/.test(d.name))
      .filter((d) => /^backend:\s*kind\s*$/m.test(readFileSync(join('labs', d.name, 'lab.yaml'), 'utf8')))
      .map((d) => d.name)
      .sort();
    assert.ok(onDisk.length > 0, 'no kind lab found on disk');
    assert.deepEqual(await kindLabIds(), onDisk);
  });

  it('lists kind labs from any folder: skips sandbox labs, _ folders and unreadable files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kind-labs-'));
    try {
      const lab = (id: string, text: string) => {
        mkdirSync(join(dir, id));
        writeFileSync(join(dir, id, 'lab.yaml'), text);
      };
      lab('a-kind-lab', 'id: a-kind-lab\nbackend: kind\n');
      lab('a-sandbox-lab', 'id: a-sandbox-lab\nbackend: sandbox\n');
      lab('_lib', 'backend: kind\n');
      lab('broken', 'backend: [kind\n');
      assert.deepEqual(await kindLabIds(dir), ['a-kind-lab']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('tool versions', () => {
  it('come from labs/versions.yaml', () => {
    const versions = parse(readFileSync('labs/versions.yaml', 'utf8'));
    const tools = toolVersions(versions);
    assert.equal(tools.kind, `v${String(versions.kind.version).replace(/^v/, '')}`);
    assert.match(tools.kubectl, /^v1\.\d+\.\d+$/);
    assert.match(tools.helm, /^v\d+\.\d+\.\d+$/);
  });
  it('prefer exact pins, fall back to the node image and the minimum, refuse when missing', () => {
    assert.deepEqual(toolVersions({ kind: { version: 'v0.1.0' }, kubectl: { version: '1.2.3' }, helm: { version: 'v3.4.5', minimum: '3.0.0' } }), { kind: 'v0.1.0', kubectl: 'v1.2.3', helm: 'v3.4.5' });
    assert.deepEqual(toolVersions({ kind: { version: 'v0.1.0', node: { kubernetes: 'v1.9.0' } }, kubectl: { minimum: '1.8.0' }, helm: { minimum: '3.0.0' } }), { kind: 'v0.1.0', kubectl: 'v1.9.0', helm: 'v3.0.0' });
    assert.throws(() => toolVersions({ kind: {}, kubectl: {}, helm: {} }), /labs\/versions\.yaml/);
  });
});

describe('summary', () => {
  it('counts and lists passes and failures', () => {
    const text = summary({ b: 'fail', a: 'pass', c: '' });
    assert.match(text, /1 passed, 2 failed/);
    assert.match(text, /\| a \| pass \|\n\| b \| \*\*fail\*\* \|\n\| c \| \*\*no result\*\* \|/);
  });
});
