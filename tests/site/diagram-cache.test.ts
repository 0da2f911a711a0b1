/**
 * The committed diagram cache matches the chapters: every diagram's rendering is in git (so a
 * prose-only contributor builds without a browser) and no rendering is left over.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { relative } from 'node:path';
import { it } from 'node:test';
import { diagramSources } from '../../src/site/diagrams/sources.ts';

const sources = await diagramSources('content');
const tracked = new Set(execFileSync('git', ['ls-files', 'content/_diagrams'], { encoding: 'utf8' }).split('\n').filter(Boolean));

it('every diagram in the chapters has its rendering committed', () => {
  const missing = sources.filter(({ key }) => !tracked.has(`content/_diagrams/${key}.svg`)).map(({ file, line, key }) => `${relative('.', file)}:${line}: git add content/_diagrams/${key}.svg`);
  assert.deepEqual(missing, []);
});

it('no cached rendering is left over from a removed or edited diagram', () => {
  const used = new Set(sources.map((s) => s.key));
  const unused = readdirSync('content/_diagrams').filter((f) => !(f.endsWith('.svg') && f.split('.').length === 2 && used.has(f.split('.')[0]!)));
  assert.deepEqual(unused, [], 'run npm run diagrams:prune');
});
