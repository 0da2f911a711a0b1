import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { newestCommitDates } from '../../../src/site/git-dates.ts';

it('gives each file the date of the newest commit that touched it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'git-dates-'));
  const git = (args: string[], date: string) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: dir, env: { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } });
  try {
    git(['init', '-q'], '2026-01-01T00:00:00Z');
    await writeFile(join(dir, 'a.mdx'), 'a');
    await writeFile(join(dir, 'b.mdx'), 'b');
    git(['add', '.'], '2026-01-01T00:00:00Z');
    git(['commit', '-qm', 'one'], '2026-01-01T00:00:00Z');
    await writeFile(join(dir, 'a.mdx'), 'a2');
    git(['commit', '-qam', 'two'], '2026-03-01T00:00:00Z');
    await writeFile(join(dir, 'c.mdx'), 'never committed');
    const dates = newestCommitDates(dir);
    assert.equal(dates.get(join(dir, 'a.mdx'))?.toISOString(), '2026-03-01T00:00:00.000Z');
    assert.equal(dates.get(join(dir, 'b.mdx'))?.toISOString(), '2026-01-01T00:00:00.000Z');
    assert.equal(dates.has(join(dir, 'c.mdx')), false);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

it('is empty outside a git checkout', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'no-git-'));
  try {
    assert.equal(newestCommitDates(dir).size, 0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
