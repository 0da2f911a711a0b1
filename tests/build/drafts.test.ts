/**
 * A draft chapter stays out of the production build: no page, no sidebar group, no sitemap entry,
 * no search entry. Built from a scratch site holding one published chapter and one draft chapter,
 * so the test holds whatever the real chapters' state is.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, it } from 'node:test';
import { chapters } from '../../src/site/chapters.ts';
import { scratchSite, type BuildResult } from '../support/scratch-site.ts';

const [published, draft] = [chapters[0], chapters.at(-1)!];
let site: Awaited<ReturnType<typeof scratchSite>>;
let result: BuildResult;
const dist = () => join(site.dir, 'dist');

before(async () => {
  site = await scratchSite({
    [`${published.dir}/index.mdx`]: '---\ntitle: Published\ndescription: d\n---\n\nPublished text.\n',
    [`${draft.dir}/index.mdx`]: '---\ntitle: Draft chapter\ndescription: d\ndraft: true\n---\n\nDraftonlyword text.\n',
    [`${draft.dir}/second.mdx`]: '---\ntitle: Draft page\ndescription: d\ndraft: true\n---\n\nMore draft text.\n',
  });
  result = await site.build();
});
after(() => site.remove());

it('builds (control: the published chapter is there and in the sidebar)', () => {
  assert.equal(result.code, 0, result.output.slice(-2000));
  const html = readFileSync(join(dist(), published.dir, 'index.html'), 'utf8');
  assert.match(html, new RegExp(`<a href="/${published.dir}/"`));
  assert.ok(html.includes(published.label), 'the published chapter has a sidebar group');
});

it('leaves the draft chapter out: no page, no sidebar group, no sitemap or search entry', () => {
  assert.equal(existsSync(join(dist(), draft.dir)), false, `dist/${draft.dir}/ was built`);
  const home = readFileSync(join(dist(), published.dir, 'index.html'), 'utf8');
  assert.doesNotMatch(home, new RegExp(`href="/${draft.dir}/`), 'a link to the draft chapter');
  assert.ok(!home.includes(draft.label), `the sidebar shows the draft chapter "${draft.label}"`);
  assert.doesNotMatch(readFileSync(join(dist(), 'sitemap-0.xml'), 'utf8'), new RegExp(`/${draft.dir}/`));
  const searchable = readdirSync(join(dist(), 'pagefind/fragment')).map((f) => gunzipSync(readFileSync(join(dist(), 'pagefind/fragment', f))).toString()).join('\n');
  assert.match(searchable, /Published text/, 'control: the search index holds the published page');
  assert.doesNotMatch(searchable, /Draftonlyword/);
});
