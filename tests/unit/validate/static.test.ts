import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateLabById, validateVersionsFile, validateAll } from '../../../src/lab/validate/index.ts';
import { formatIssueLine as formatValidationIssue, type Issue as ValidationIssue } from '../../../src/lab/errors.ts';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures');
const labsOf = (scenario: string): string => path.join(fixtures, `validate-${scenario}`, 'labs');
const at = (scenario: string, id: string, file: string): string => `tests/fixtures/validate-${scenario}/labs/${id}/${file}`;
const run = (scenario: string, id: string): Promise<ValidationIssue[]> => validateLabById(id, { labsDir: labsOf(scenario) });

test('a well-formed kind lab has no issues', async () => {
  assert.deepEqual(await run('ok', 'good'), []);
});

test('kind config: unknown field, bad enum value and a per-node image are reported with their field paths', async () => {
  const file = at('kind-config', 'bad-kind', 'kind.yaml');
  assert.deepEqual(await run('kind-config', 'bad-kind'), [
    { file, path: 'networking.kubeProxyMode', message: 'expected one of "iptables", "ipvs", "nftables", "none", received "userspace"' },
    {
      file,
      path: 'nodes.0.extraPortMapping',
      message: 'unknown field "extraPortMapping" in a kind v1alpha4 Cluster config (check its spelling against https://kind.sigs.k8s.io/docs/user/configuration/)',
    },
    { file, path: 'nodes.1.image', message: 'remove it: the node image comes from labs/versions.yaml (kind.node.image), pinned by digest' },
  ]);
});

test('an image without a digest is rejected', async () => {
  assert.deepEqual(await run('unpinned-image', 'unpinned'), [
    {
      file: at('unpinned-image', 'unpinned', 'pod.yaml'),
      path: 'spec.containers.0.image',
      message: 'image "busybox:1.37.0" is not pinned by digest: use name:tag@sha256:… (add it to labs/versions.yaml images and write {{ images.<name>.image }})',
    },
  ]);
});

test('`latest` is rejected, as an image tag and as a version', async () => {
  const file = at('latest', 'latest-tag', 'lab.yaml');
  assert.deepEqual(await run('latest', 'latest-tag'), [
    { file, path: 'steps.0.run', message: 'image "busybox:latest" uses the moving tag "latest": pin it by digest (name:tag@sha256:…) from labs/versions.yaml images' },
    { file, path: 'steps.1.run', message: '"@latest" is a moving version: pin it in labs/versions.yaml and refer to it with {{ path }}' },
  ]);
});

test('a URL on a branch, and a URL not taken from versions.yaml, are rejected', async () => {
  const file = at('branch-url', 'branch', 'lab.yaml');
  assert.deepEqual(await run('branch-url', 'branch'), [
    {
      file,
      path: 'steps.0.run',
      message: 'URL https://raw.githubusercontent.com/example/project/master/deploy.yaml points at the branch "master": use a release tag or a commit (from labs/versions.yaml)',
    },
    {
      file,
      path: 'steps.1.run',
      message: 'URL https://github.com/flannel-io/flannel/releases/download/v0.28.9/kube-flannel.yml is written in the command: add it to labs/versions.yaml and write {{ path }} instead',
    },
  ]);
});

test('versions.yaml itself may not hold a branch URL', async () => {
  assert.deepEqual(await validateVersionsFile(labsOf('branch-url')), [
    {
      file: 'tests/fixtures/validate-branch-url/labs/versions.yaml',
      path: 'moving.manifest',
      message: 'URL https://raw.githubusercontent.com/example/project/master/deploy.yaml points at the branch "master": use a release tag or a commit (from labs/versions.yaml)',
    },
  ]);
});

test('a template path missing from versions.yaml is reported', async () => {
  assert.deepEqual(await run('unknown-version', 'unknown'), [
    {
      file: at('unknown-version', 'unknown', 'lab.yaml'),
      path: 'steps.0.run',
      message: 'unknown version "calico.manifests.nope" in {{ calico.manifests.nope }}: add it to labs/versions.yaml or fix the path',
    },
  ]);
});

test('manifests are checked against the real API schemas', async () => {
  const file = at('invalid-manifest', 'invalid', 'pod.yaml');
  assert.deepEqual(await run('invalid-manifest', 'invalid'), [
    { file, path: '[0].spec.containers', message: 'expected a list, received string (v1 Pod schema)' },
    { file, path: '[1].spec', message: 'missing required field "selector" (apps/v1 DaemonSet schema)' },
  ]);
});

test('scripts must pass shellcheck', async () => {
  assert.deepEqual(await run('shellcheck', 'scripted'), [
    {
      file: at('shellcheck', 'scripted', 'setup.sh'),
      path: 'line 4',
      message: 'shellcheck SC2086 (info): Double quote to prevent globbing and word splitting. (https://www.shellcheck.net/wiki/SC2086)',
    },
  ]);
});

test('a missing shellcheck is a clear error, not a silent pass', async () => {
  const saved = process.env.SHELLCHECK;
  process.env.SHELLCHECK = '/nonexistent/shellcheck';
  try {
    const issues = await run('ok', 'good');
    assert.equal(issues.length, 1);
    assert.equal(
      formatValidationIssue(issues[0]!),
      'tests/fixtures/validate-ok/labs/good/lab.yaml: (shellcheck): shellcheck not found (/nonexistent/shellcheck): install it: Debian/Ubuntu: sudo apt-get install shellcheck; Fedora: sudo dnf install ShellCheck; macOS: brew install shellcheck; see https://github.com/koalaman/shellcheck#installing',
    );
  } finally {
    if (saved === undefined) delete process.env.SHELLCHECK;
    else process.env.SHELLCHECK = saved;
  }
});

test('the repository kind lab kindnet-basics and labs/versions.yaml pass', async () => {
  assert.deepEqual(await validateLabById('kindnet-basics'), []);
  assert.deepEqual(await validateVersionsFile(), []);
});

test('validateAll covers versions.yaml and every lab of a folder', async () => {
  const report = await validateAll({ labsDir: labsOf('branch-url') });
  const issues = [...report.versions, ...report.labs.flatMap((l) => l.issues)];
  assert.deepEqual(
    issues.map((i) => `${i.file}: ${i.path}`),
    ['tests/fixtures/validate-branch-url/labs/versions.yaml: moving.manifest', `${at('branch-url', 'branch', 'lab.yaml')}: steps.0.run`, `${at('branch-url', 'branch', 'lab.yaml')}: steps.1.run`],
  );
});

test('files a command names in the lab folder must exist: ./x, bash x, . x, $LAB_DIR/x, -f x.yaml, -c x.conf (not comments, not absolute paths)', async () => {
  const file = at('file-refs', 'refs', 'lab.yaml');
  const issues = (await run('file-refs', 'refs')).filter((i) => !i.message.startsWith('shellcheck'));
  assert.deepEqual(
    issues.map((i) => `${i.path}: ${i.message}`),
    [
      'steps.0.run: names notes.txt, which does not exist in tests/fixtures/validate-file-refs/labs/refs',
      'steps.0.run: names missing.yaml, which does not exist in tests/fixtures/validate-file-refs/labs/refs',
      'steps.1.run: names absent.sh, which does not exist in tests/fixtures/validate-file-refs/labs/refs',
      'steps.1.run: names bird.conf, which does not exist in tests/fixtures/validate-file-refs/labs/refs',
    ],
  );
  assert.ok(issues.every((i) => i.file === file));
});
