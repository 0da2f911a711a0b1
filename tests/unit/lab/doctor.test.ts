/**
 * Doctor tells the truth: why user namespaces are refused on each distribution family and how to
 * allow them; a tool of the wrong flavour (busybox ping) is not taken for iputils; kernel modules
 * are checked and loading them is explained; the sandbox lists every tool it uses.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { usernsDiagnosis } from '../../../src/lab/host/userns.ts';
import { checkExecutable } from '../../../src/lab/host/tools.ts';
import { moduleStatus } from '../../../src/lab/host/modules.ts';
import { doctor, loadLab, backendFor } from '../../../src/lab/index.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lab-doctor-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const linux = { platform: 'linux' as const, like: [], wsl: false };

test('user namespaces: the cause and the fix per distribution family', () => {
  const ubuntu = usernsDiagnosis((name) => ({ 'kernel.apparmor_restrict_unprivileged_userns': '1' })[name], { ...linux, distro: 'ubuntu', like: ['debian'] });
  assert.match(ubuntu.cause, /AppArmor restricts unprivileged user namespaces \(kernel\.apparmor_restrict_unprivileged_userns=1, the default since Ubuntu 23\.10\)/);
  assert.match(ubuntu.fix.debian ?? '', /sudo sysctl -w kernel\.apparmor_restrict_unprivileged_userns=0/);

  const oldDebian = usernsDiagnosis((name) => ({ 'kernel.unprivileged_userns_clone': '0' })[name], { ...linux, distro: 'debian' });
  assert.match(oldDebian.cause, /kernel\.unprivileged_userns_clone=0/);
  assert.match(oldDebian.fix.debian ?? '', /sudo sysctl -w kernel\.unprivileged_userns_clone=1/);

  const rhel = usernsDiagnosis((name) => ({ 'user.max_user_namespaces': '0' })[name], { ...linux, distro: 'rhel', like: ['fedora'] });
  assert.match(rhel.cause, /user\.max_user_namespaces is 0/);
  assert.match(rhel.fix.fedora ?? '', /sudo sysctl -w user\.max_user_namespaces=/);

  const wsl = usernsDiagnosis(() => undefined, { ...linux, distro: 'ubuntu', wsl: true });
  assert.match(wsl.fix.other ?? '', /wsl --update/);
});

test('a ping that is not iputils is reported as such, with the package to install', () => {
  const bin = path.join(tmp, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(path.join(bin, 'ping'), '#!/bin/sh\necho "BusyBox v1.36.1 multi-call binary." >&2\nexit 1\n');
  chmodSync(path.join(bin, 'ping'), 0o755);
  const saved = process.env.PATH;
  process.env.PATH = `${bin}:${saved}`;
  try {
    const result = checkExecutable('ping', 'tests reachability');
    assert.equal(result.ok, false);
    assert.match(result.detail, /^.*\/bin\/ping is not iputils ping \(the checks read its "N received" summary\); it says: BusyBox v1\.36\.1/);
    assert.equal(result.install?.debian, 'sudo apt-get install iputils-ping');
  } finally {
    process.env.PATH = saved;
  }
  const real = checkExecutable('ping', 'tests reachability');
  assert.equal(real.ok, true, real.detail);
  assert.match(real.detail, /iputils/);
});

test('a busybox unshare is reported as the wrong unshare, not as user namespaces refused', () => {
  const bin = path.join(tmp, 'bin-unshare');
  mkdirSync(bin, { recursive: true });
  writeFileSync(path.join(bin, 'unshare'), '#!/bin/sh\necho "BusyBox v1.36.1 multi-call binary." >&2\nexit 1\n');
  chmodSync(path.join(bin, 'unshare'), 0o755);
  const saved = process.env.PATH;
  process.env.PATH = `${bin}:${saved}`;
  try {
    const result = checkExecutable('unshare', 'creates the lab’s private namespaces');
    assert.equal(result.ok, false);
    assert.match(result.detail, /\/bin-unshare\/unshare is not util-linux unshare .*it says: BusyBox/);
    assert.equal(result.install?.debian, 'sudo apt-get install util-linux');
  } finally {
    process.env.PATH = saved;
  }
  for (const tool of ['unshare', 'nsenter', 'setsid', 'sysctl']) assert.equal(checkExecutable(tool, 'x').ok, true, `${tool}: ${checkExecutable(tool, 'x').detail}`);
});

test('kernel modules: present ones pass (loaded, or working in a scratch namespace), a missing one says how to load it', () => {
  // The sandbox labs already need bridges and nftables: both work here, however they are built.
  assert.equal(moduleStatus('bridge').ok, true, moduleStatus('bridge').detail);
  assert.equal(moduleStatus('nf_tables').ok, true, moduleStatus('nf_tables').detail);
  const missing = moduleStatus('no_such_module_k8s_net');
  assert.equal(missing.ok, false);
  assert.match(missing.detail, /^not loaded.*a kernel does not load modules on demand for a user namespace/);
  assert.match(missing.install.debian ?? '', /^sudo modprobe no_such_module_k8s_net \(to load it at every boot: echo no_such_module_k8s_net \| sudo tee \/etc\/modules-load\.d\/k8s-net-labs\.conf\)$/);
});

test('doctor: the sandbox names every tool it uses, and a lab\'s module prerequisite is checked', async () => {
  const lab = await loadLab('two-nodes', { labsDir: 'tests/fixtures/lab-engine/labs' });
  const withModule = { ...lab, prerequisites: [...lab.prerequisites, { module: 'no_such_module_k8s_net', why: 'tests the check' }] };
  const results = await doctor(withModule);
  const names = results.map((r) => r.name);
  for (const tool of ['unshare', 'nsenter', 'setsid', 'ip', 'sysctl', 'timeout', 'namespaces', 'ping']) assert.ok(names.includes(tool), `${tool} in ${names.join(', ')}`);
  const module = results.find((r) => r.name === 'kernel module no_such_module_k8s_net');
  assert.equal(module?.ok, false);
  assert.equal(backendFor(lab).name, 'sandbox');
});
