/**
 * A sandbox lab that uses a kernel feature must declare its module, so `doctor` can probe it and
 * say how to load it (a user namespace loads no module on demand). Uses are found in commands and
 * in the lab's scripts, comments aside.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { validateLabById } from '../../../src/lab/validate/index.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lab-modules-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function sandboxLab(prerequisites: string): string {
  const labs = mkdtempSync(path.join(tmp, 'labs-'));
  const dir = path.join(labs, 'uses');
  mkdirSync(dir);
  writeFileSync(
    path.join(dir, 'setup.sh'),
    '#!/usr/bin/env bash\nset -euo pipefail\n# a bridge is not made here: type bridge\nip link add vx0 type vxlan id 1 dstport 4789\n',
  );
  chmodSync(path.join(dir, 'setup.sh'), 0o755);
  writeFileSync(
    path.join(dir, 'lab.yaml'),
    `schema: 1\nid: uses\ntitle: uses\nchapter: tests\nbackend: sandbox\nsummary: uses\nprerequisites: ${prerequisites}\nsetup:\n  - run: ./setup.sh\nsteps:\n  - { id: s, title: s, type: demo, run: 'nft list ruleset' }\n`,
  );
  return labs;
}

test('a sandbox lab using VXLAN and nftables without declaring them is refused, naming the first use', async () => {
  const issues = await validateLabById('uses', { labsDir: sandboxLab('[]') });
  const messages = issues.filter((i) => i.path === 'prerequisites').map((i) => i.message);
  assert.equal(messages.length, 2, messages.join('\n'));
  assert.match(messages[0]!, /makes a VXLAN device \(.*uses\/setup\.sh line 4\) but does not declare it: add `- module: vxlan`/);
  assert.match(messages[1]!, /writes nftables rules .*\(.*uses\/lab\.yaml steps\.0\.run\) but does not declare it: add `- module: nf_tables`/);
});

test('declared modules satisfy the rule', async () => {
  const declared = '\n  - { module: vxlan, why: carries the tunnel }\n  - { module: nf_tables, why: holds the rules }';
  assert.deepEqual(await validateLabById('uses', { labsDir: sandboxLab(declared) }), []);
});
