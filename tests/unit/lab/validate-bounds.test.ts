/**
 * Bounded work on bad input: a 2,000-step lab validates with a handful of shellcheck processes at a
 * time and bounded memory (not one process per command), and an alias bomb is an ordinary one-line
 * error naming the file, for `validate` and `list` alike.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lab-bounds-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const node = process.execPath;

function lab(dir: string, id: string, body: string): void {
  mkdirSync(path.join(dir, id), { recursive: true });
  writeFileSync(path.join(dir, id, 'lab.yaml'), `schema: 1\nid: ${id}\ntitle: ${id}\nchapter: tests\nbackend: sandbox\nsummary: ${id}\n${body}`);
}

/** Children of a process that run shellcheck, read from /proc. */
function shellcheckChildren(parent: number): number {
  let count = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === parent && stat.includes('(shellcheck)')) count++;
    } catch {
      // gone
    }
  }
  return count;
}

function peakRssKiB(pid: number): number {
  try {
    return Number(/^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

test('a 2,000-step lab (five batches) validates with at most 4 shellcheck processes at a time and bounded memory', async () => {
  const labs = path.join(tmp, 'big');
  const steps = Array.from({ length: 2000 }, (_, i) => `  - { id: s${i}, title: step ${i}, type: demo, run: 'echo step ${i}' }`).join('\n');
  lab(labs, 'big', `steps:\n${steps}\n`);
  const child = spawn(node, ['src/cli/main.ts', 'validate', '--json', '--labs-dir', labs], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  let most = 0;
  let rss = 0;
  const sampler = setInterval(() => {
    most = Math.max(most, shellcheckChildren(child.pid!));
    rss = Math.max(rss, peakRssKiB(child.pid!));
  }, 20);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(sampler);
  assert.equal(code, 0, out);
  const report = out.trim().split('\n').map((l) => JSON.parse(l) as { id: string; ok: boolean });
  assert.deepEqual(report.map((r) => [r.id, r.ok]), [['versions.yaml', true], ['big', true]]);
  assert.ok(most >= 1, 'shellcheck ran (the sampler saw it)');
  assert.ok(most <= 4, `at most 4 shellcheck processes at once, saw ${most}`);
  assert.ok(rss > 0 && rss < 600 * 1024, `peak memory of validate ${Math.round(rss / 1024)} MiB`);
});

test('an alias bomb is a one-line error naming the file, for validate and list', () => {
  const labs = path.join(tmp, 'bomb');
  const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
  lab(labs, 'bomb', `${levels.join('\n')}\nsteps:\n  - { id: s, title: s, type: demo, run: 'echo *i' }\n`);
  lab(labs, 'fine', 'steps:\n  - { id: s, title: s, type: demo, run: echo fine }\n');
  for (const verb of ['validate', 'list']) {
    const result = spawnSync(node, ['src/cli/main.ts', verb, '--labs-dir', labs], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(result.status, 1, `${verb}: ${result.stdout}${result.stderr}`);
    const all = `${result.stdout}${result.stderr}`;
    assert.doesNotMatch(all, /\n\s+at /, `${verb} printed a stack trace`);
    const line = all.split('\n').find((l) => l.includes('bomb/lab.yaml'));
    assert.match(line ?? '', /bomb\/lab\.yaml: \(top level\): not usable YAML: .*aliases/, `${verb}: ${all}`);
    assert.match(all, /fine/, `${verb} still handles the other lab`);
  }
});

test('a lab.yaml larger than 2 MiB is refused before it is parsed', () => {
  const labs = path.join(tmp, 'huge');
  lab(labs, 'huge', `# ${'x'.repeat(2 * 1024 * 1024)}\nsteps:\n  - { id: s, title: s, type: demo, run: echo }\n`);
  const result = spawnSync(node, ['src/cli/main.ts', 'validate', '--labs-dir', labs], { encoding: 'utf8' });
  assert.equal(result.status, 1);
  assert.match(result.stdout, /huge\/lab\.yaml: \(top level\): \d+ bytes: a lab\.yaml may hold at most 2097152 bytes; split the lab/);
});

test('any other file in a lab folder larger than 2 MiB is refused without being read', () => {
  const labs = path.join(tmp, 'huge-file');
  lab(labs, 'capture', 'steps:\n  - { id: s, title: s, type: demo, run: echo }\n');
  writeFileSync(path.join(labs, 'capture', 'trace.yaml'), `# ${'x'.repeat(2 * 1024 * 1024)}\n`);
  const result = spawnSync(node, ['src/cli/main.ts', 'validate', '--labs-dir', labs], { encoding: 'utf8' });
  assert.equal(result.status, 1, result.stdout);
  assert.match(result.stdout, /capture\/trace\.yaml: \(top level\): \d+ bytes: a file in a lab folder may hold at most 2097152 bytes/);
});
