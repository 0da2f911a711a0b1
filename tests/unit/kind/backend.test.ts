import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync, copyFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { kindBackend, nodeName } from '../../../src/lab/backends/kind.ts';
import type { Lab } from '../../../src/lab/schema/lab.ts';
import { labStateDir } from '../../../src/lab/state.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const fakes = path.resolve(here, '../../fixtures/kind-fakes/bin');
const repoVersions = path.resolve(here, '../../../labs/versions.yaml');
const NODE_IMAGE = 'kindest/node:v1.36.1@sha256:3489c7674813ba5d8b1a9977baea8a6e553784dab7b84759d1014dbd78f7ebd5';

let tmp: string;
let saved: NodeJS.ProcessEnv;

function makeLab(id = 'kind-demo', steps: Lab['steps'] = []): Lab {
  const labsDir = path.join(tmp, 'labs');
  const dir = path.join(labsDir, id);
  mkdirSync(dir, { recursive: true });
  copyFileSync(repoVersions, path.join(labsDir, 'versions.yaml'));
  writeFileSync(path.join(dir, 'kind.yaml'), 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n  - role: control-plane\n');
  return {
    schema: 1,
    id,
    title: 'demo',
    chapter: 'network-model',
    backend: 'kind',
    summary: 'demo',
    prerequisites: [],
    cluster: { config: 'kind.yaml' },
    setup: [],
    daemons: [],
    walks: [],
    teardown: [],
    steps: steps.length > 0 ? steps : [{ id: 's', title: 't', type: 'demo', run: 'kubectl get nodes' }],
    dir,
    file: `labs/${id}/lab.yaml`,
  };
}

const log = (): string[] => (existsSync(process.env.FAKE_LOG!) ? readFileSync(process.env.FAKE_LOG!, 'utf8').trim().split('\n') : []);
const stateDir = (id: string): string => labStateDir({ id, dir: path.join(tmp, 'labs', id) });

beforeEach(() => {
  saved = { ...process.env };
  tmp = mkdtempSync(path.join(os.tmpdir(), 'kind-backend-'));
  mkdirSync(path.join(tmp, 'fake'), { recursive: true });
  process.env.PATH = `${fakes}:${process.env.PATH}`;
  process.env.FAKE_LOG = path.join(tmp, 'fake', 'log');
  process.env.FAKE_STATE = path.join(tmp, 'fake');
  process.env.K8S_NET_LABS_STATE = path.join(tmp, 'state');
  delete process.env.KIND_EXPERIMENTAL_PROVIDER;
  delete process.env.KUBECONFIG;
});

afterEach(() => {
  process.env = saved;
  rmSync(tmp, { recursive: true, force: true });
});

test('up creates one cluster named after the lab, with the pinned image and a per-lab kubeconfig', async () => {
  const lab = makeLab();
  await kindBackend.up(lab);
  const create = log().find((line) => line.startsWith('kind create cluster'));
  const kubeconfig = path.join(stateDir('kind-demo'), 'kubeconfig');
  assert.equal(
    create,
    `kind create cluster --name kind-demo --config ${path.join(lab.dir, 'kind.yaml')} --image ${NODE_IMAGE} --kubeconfig ${kubeconfig} --wait 180s | KUBECONFIG=${kubeconfig} | PROVIDER=`,
  );
  assert.ok(existsSync(kubeconfig));
  const state = JSON.parse(readFileSync(path.join(stateDir('kind-demo'), 'kind.json'), 'utf8')) as { nodeImage: string; provider: string };
  assert.equal(state.nodeImage, NODE_IMAGE);
  assert.equal(state.provider, 'docker');
});

test('every kind and kubectl call sees the per-lab KUBECONFIG, never the default one', async () => {
  process.env.KUBECONFIG = path.join(tmp, 'readers-own-kubeconfig');
  const lab = makeLab();
  await kindBackend.preflight(lab);
  await kindBackend.up(lab);
  await kindBackend.down(lab);
  const calls = log().filter((line) => line.startsWith('kind') || line.startsWith('kubectl'));
  assert.ok(calls.length >= 5);
  for (const line of calls) assert.match(line, new RegExp(`KUBECONFIG=${path.join(stateDir('kind-demo'), 'kubeconfig')}( |$)`), line);
  assert.equal(existsSync(process.env.KUBECONFIG), false);
});

test('up is idempotent: a second up reuses the cluster it created', async () => {
  const lab = makeLab();
  await kindBackend.up(lab);
  await kindBackend.up(lab);
  const creates = log().filter((line) => line.startsWith('kind create cluster'));
  assert.equal(creates.length, 1);
  assert.ok(log().some((line) => line.startsWith('kind export kubeconfig --name kind-demo')));
  assert.equal((await kindBackend.status(lab)).up, true);
});

test('up refuses a cluster of the same name that the lab did not create, and says how to remove it', async () => {
  writeFileSync(path.join(tmp, 'fake', 'clusters'), 'kind-demo\n');
  const lab = makeLab();
  await assert.rejects(kindBackend.up(lab), (error: Error) => {
    assert.match(error.message, /^a kind cluster named "kind-demo" already exists, but this lab did not create it/);
    assert.match(error.message, /kind delete cluster --name kind-demo/);
    return true;
  });
  assert.equal(log().filter((line) => /^kind (create|delete)/.test(line)).length, 0);
  await kindBackend.down(lab);
  assert.equal(log().filter((line) => line.startsWith('kind delete')).length, 0, 'down must not delete a cluster it does not own');
});

test('up refuses to reuse its cluster when the pinned node image changed', async () => {
  const lab = makeLab();
  await kindBackend.up(lab);
  const file = path.join(stateDir('kind-demo'), 'kind.json');
  const state = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  writeFileSync(file, JSON.stringify({ ...state, nodeImage: 'kindest/node:v1.35.0@sha256:abc' }));
  await assert.rejects(kindBackend.up(lab), /created by this lab with node image kindest\/node:v1\.35\.0@sha256:abc .*\nrecreate it with: npm run lab -- down kind-demo/);
});

test('a stale state (cluster deleted behind our back) is cleaned and the cluster recreated', async () => {
  const lab = makeLab();
  await kindBackend.up(lab);
  writeFileSync(path.join(tmp, 'fake', 'clusters'), '');
  assert.deepEqual(await kindBackend.status(lab), { up: false, stale: true, detail: 'stale state: cluster "kind-demo" is gone' });
  await kindBackend.up(lab);
  assert.equal(log().filter((line) => line.startsWith('kind create cluster')).length, 2);
});

test('down deletes the cluster and the state, and succeeds when there is nothing', async () => {
  const lab = makeLab();
  await kindBackend.down(lab);
  await kindBackend.up(lab);
  await kindBackend.down(lab);
  assert.ok(log().some((line) => line.startsWith('kind delete cluster --name kind-demo')));
  assert.equal(existsSync(path.join(stateDir('kind-demo'), 'kind.json')), false);
  assert.equal(existsSync(path.join(stateDir('kind-demo'), 'kubeconfig')), false);
  assert.equal(readFileSync(path.join(tmp, 'fake', 'clusters'), 'utf8'), '');
});

test('a failed create says what failed and that nothing is left', async () => {
  process.env.FAKE_KIND_CREATE_FAIL = '1';
  const lab = makeLab();
  await assert.rejects(kindBackend.up(lab), {
    message: 'kind create cluster failed for "kind-demo": exit status 1\nERROR: failed to create cluster: node image pull failed\nnothing was left behind',
  });
  assert.equal(existsSync(path.join(stateDir('kind-demo'), 'kind.json')), false);
});

test('preflight passes with docker, kind and kubectl at the pinned minimums', async () => {
  const results = await kindBackend.preflight(makeLab());
  assert.deepEqual(
    results.map((r) => [r.name, r.ok, r.detail]),
    [
      ['docker or podman', true, 'docker info: reachable'],
      ['kind >= 0.32.0', true, 'version 0.32.0'],
      ['kubectl >= 1.35.0', true, 'version 1.36.1'],
    ],
  );
});

test('preflight falls back to podman, and the cluster is then created with the podman provider', async () => {
  process.env.FAKE_DOCKER_DOWN = '1';
  process.env.FAKE_PODMAN_UP = '1';
  const lab = makeLab();
  const [runtime] = await kindBackend.preflight(lab);
  assert.equal(runtime?.detail, 'podman info: reachable');
  await kindBackend.up(lab);
  assert.match(log().find((line) => line.startsWith('kind create')) ?? '', /PROVIDER=podman$/);
  assert.equal(kindBackend.commandFor(lab, 'worker', 'ip route').file, 'podman');
});

test('preflight reports old tools, a missing runtime, and install hints per OS', async () => {
  process.env.FAKE_DOCKER_DOWN = '1';
  process.env.FAKE_KIND_VERSION = '0.20.0';
  process.env.FAKE_KUBECTL_VERSION = '1.30.2';
  const results = await kindBackend.preflight(makeLab());
  const [runtime, kind, kubectl] = results;
  assert.equal(runtime?.ok, false);
  assert.match(runtime?.detail ?? '', /^docker is installed but its daemon is not reachable \(Cannot connect to the Docker daemon/);
  // The CLI is there: the advice is to start the daemon, not to install Docker.
  assert.match(runtime?.install?.debian ?? '', /^start it: sudo systemctl start docker/);
  assert.doesNotMatch(JSON.stringify(runtime?.install), /apt-get install docker/);
  assert.deepEqual([kind?.ok, kind?.detail], [false, 'version 0.20.0 is older than 0.32.0: upgrade it']);
  assert.deepEqual([kubectl?.ok, kubectl?.detail], [false, 'version 1.30.2 is older than 1.35.0: upgrade it']);
  for (const r of results) {
    assert.ok(r.install?.debian && r.install.fedora && r.install.macos, r.name);
    assert.match(r.install?.other ?? '', /WSL2/);
  }
  assert.match(kind?.install?.debian ?? '', /sigs\.k8s\.io\/kind@v0\.32\.0/);
});

test('preflight checks helm only for labs that use it', async () => {
  const plain = await kindBackend.preflight(makeLab());
  assert.equal(plain.some((r) => r.name.startsWith('helm')), false);
  const withHelm = makeLab('kind-helm', [{ id: 's', title: 't', type: 'demo', run: 'helm install cilium cilium/cilium' }]);
  const results = await kindBackend.preflight(withHelm);
  assert.deepEqual(results.at(-1) && [results.at(-1)!.name, results.at(-1)!.ok], ['helm >= 3.16.0', true]);
});

test('commands run on the host with KUBECONFIG set, or in a node container', () => {
  const lab = makeLab();
  const host = kindBackend.commandFor(lab, 'host', 'kubectl get nodes');
  assert.deepEqual([host.file, host.args], ['bash', ['-euo', 'pipefail', '-c', 'kubectl get nodes']]);
  assert.equal(host.env.KUBECONFIG, path.join(stateDir('kind-demo'), 'kubeconfig'));
  assert.equal(host.env.KIND_CLUSTER_NAME, 'kind-demo');
  const node = kindBackend.commandFor(lab, 'worker', 'ip route');
  assert.deepEqual([node.file, node.args], ['docker', ['exec', '--workdir', '/', 'kind-demo-worker', 'bash', '-euo', 'pipefail', '-c', 'ip route']]);
  assert.equal(nodeName(lab, 'kind-demo-control-plane'), 'kind-demo-control-plane');
});

test('preflight with Podman asked for but not installed says so plainly, with install hints', async () => {
  const bin = path.join(tmp, 'bin-no-podman');
  mkdirSync(bin);
  for (const tool of ['kind', 'kubectl', 'docker']) copyFileSync(path.join(fakes, tool), path.join(bin, tool));
  for (const tool of ['kind', 'kubectl', 'docker']) chmodSync(path.join(bin, tool), 0o755);
  process.env.PATH = `${bin}:/usr/bin:/bin`;
  process.env.KIND_EXPERIMENTAL_PROVIDER = 'podman';
  const [runtime] = await kindBackend.preflight(makeLab());
  assert.equal(runtime?.ok, false);
  assert.equal(runtime?.detail, 'podman: not installed');
  assert.match(runtime?.install?.macos ?? '', /podman machine/);
});
