import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

const cli = (...args: string[]) => spawnSync(process.execPath, ['src/cli/main.ts', ...args], { encoding: 'utf8' });

test('list --json gives id, title, chapter and backend of every lab', () => {
  const result = cli('list', '--json');
  const labs = JSON.parse(result.stdout) as { id: string; title: string; chapter: string; backend: string }[];
  const lab = labs.find((l) => l.id === 'pod-network-by-hand');
  assert.deepEqual({ ...lab, steps: undefined, walks: undefined }, { id: 'pod-network-by-hand', title: 'Pod networking by hand', chapter: 'network-model', backend: 'sandbox', steps: undefined, walks: undefined });
  assert.ok((lab as unknown as { walks: string[] }).walks.includes('cross-node'), 'walks are listed');
});

test('validate accepts the engine-owned lab and rejects a broken fixture naming file and field', () => {
  assert.equal(cli('validate', 'pod-network-by-hand').status, 0);
  const broken = cli('validate', '--labs-dir', 'tests/fixtures/lab-validate/labs', 'missing-script');
  assert.equal(broken.status, 1);
  assert.match(broken.stdout, /labs\/missing-script\/lab\.yaml: setup\.0\.run: runs \.\/setup\.sh, which does not exist in tests\/fixtures\/lab-validate\/labs\/missing-script/);
  const loader = cli('validate', '--labs-dir', 'tests/fixtures/lab-loader/labs', 'unknown-field');
  assert.equal(loader.status, 1);
  assert.match(loader.stdout, /unknown-field\/lab\.yaml: steps\.0\.comand: unknown field "comand"/);
});

test('usage errors exit 2 with a clear message', () => {
  const noId = cli('up');
  assert.equal(noId.status, 2);
  assert.equal(noId.stderr, 'lab: up needs a lab id: npm run lab -- up <id> (see: npm run lab -- list)\n');
  const badOption = cli('list', '--frob');
  assert.equal(badOption.status, 2);
  assert.equal(badOption.stderr, 'lab: unknown option --frob\n');
});

test('doctor lists prerequisites with what was found', () => {
  const result = cli('doctor', 'two-nodes', '--labs-dir', 'tests/fixtures/lab-engine/labs');
  assert.equal(result.status, 0, result.stdout);
  assert.match(result.stdout, /^✓ unshare: \//m);
  assert.match(result.stdout, /^✓ namespaces: /m);
});

test('doctor lists a tool once when both the backend and the lab need it (helm for cni-cilium)', () => {
  const result = cli('doctor', 'cni-cilium');
  const helmLines = result.stdout.split('\n').filter((line) => /^[✓✗] helm\b/.test(line));
  assert.equal(helmLines.length, 1, result.stdout);
  assert.match(helmLines[0]!, /^[✓✗] helm >= \d+\.\d+\.\d+/);
});
