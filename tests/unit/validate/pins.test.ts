import { test } from 'node:test';
import assert from 'node:assert/strict';
import { imageProblem, isDownload, urlProblem } from '../../../src/lab/validate/pins.ts';

const versions = { images: { agnhost: { image: `registry.k8s.io/e2e-test-images/agnhost:2.53@sha256:${'a'.repeat(64)}` } } };

test('branch and latest URLs move; tags and commits do not', () => {
  assert.equal(urlProblem('https://github.com/flannel-io/flannel/releases/download/v0.28.9/kube-flannel.yml'), undefined);
  assert.equal(urlProblem('https://raw.githubusercontent.com/projectcalico/calico/v3.32.1/manifests/calico.yaml'), undefined);
  assert.equal(urlProblem(`https://raw.githubusercontent.com/o/r/${'0123456789'.repeat(4)}/x.yaml`), undefined);
  assert.match(urlProblem('https://raw.githubusercontent.com/o/r/main/x.yaml') ?? '', /points at the branch "main"/);
  assert.match(urlProblem('https://github.com/o/r/blob/develop/x.yaml') ?? '', /points at the branch "develop"/);
  assert.match(urlProblem('https://github.com/flannel-io/flannel/releases/latest/download/kube-flannel.yml') ?? '', /latest release/);
  assert.match(urlProblem('https://example.org/refs/heads/x/a.yaml') ?? '', /points at a branch/);
});

test('images must carry a digest and agree with versions.yaml', () => {
  assert.equal(imageProblem(versions.images.agnhost.image, versions), undefined);
  assert.match(imageProblem(`registry.k8s.io/e2e-test-images/agnhost:2.53@sha256:${'b'.repeat(64)}`, versions) ?? '', /differs from labs\/versions.yaml images.agnhost.image/);
  assert.match(imageProblem('busybox', versions) ?? '', /no tag means latest/);
  assert.match(imageProblem('localhost:5000/busybox', versions) ?? '', /no tag means latest/);
  assert.match(imageProblem('localhost:5000/busybox:1.37', versions) ?? '', /not pinned by digest/);
});

test('only URLs that fetch from outside must come from versions.yaml', () => {
  assert.equal(isDownload('https://github.com/x/y'), true);
  assert.equal(isDownload('http://echo.lab.svc.cluster.local/hostname'), false);
  assert.equal(isDownload('http://10.96.0.10:8080/'), false);
  assert.equal(isDownload('http://web/'), false);
});
