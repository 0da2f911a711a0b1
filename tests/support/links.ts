/**
 * Finds broken internal links and anchors in a built site: every `href`/`src` that stays on the
 * site must name a file that exists, and every `#fragment` an element id on the target page.
 * External links are not fetched (no network here, and they rot independently of a change).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, posix, relative } from 'node:path';

export interface BrokenLink {
  page: string;
  link: string;
  reason: string;
}

const attributePattern = /\s(?:href|src)="([^"]*)"/g;
const idPattern = /\sid="([^"]*)"/g;

async function htmlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.html')).map((e) => join(e.parentPath, e.name));
}

function decodeEntities(value: string): string {
  return value.replace(/&amp;/g, '&').replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"');
}

/** The site path a built file answers: dist/cni/index.html -> /cni/ */
function pagePath(dist: string, file: string): string {
  const rel = relative(dist, file).split('\\').join('/');
  return `/${rel.replace(/(^|\/)index\.html$/, '$1')}`;
}

export async function findBrokenLinks(dist: string, base = '/'): Promise<BrokenLink[]> {
  const files = await htmlFiles(dist);
  const pages = new Map<string, { ids: Set<string>; html: string }>();
  for (const file of files) {
    const html = await readFile(file, 'utf8');
    pages.set(pagePath(dist, file), { html, ids: new Set([...html.matchAll(idPattern)].map((m) => decodeEntities(m[1]!))) });
  }
  const allFiles = new Set((await readdir(dist, { recursive: true })).map((f) => `/${String(f).split('\\').join('/')}`));
  const broken: BrokenLink[] = [];

  for (const [path, { html }] of pages) {
    if (path === '/404.html') continue;
    for (const match of html.matchAll(attributePattern)) {
      const link = decodeEntities(match[1]!);
      if (/^(?:[a-z][a-z0-9+.-]*:|\/\/)/i.test(link) || link === '') continue; // external, mailto:, data:
      // Built files sit at dist/<path>; the browser sees them at <base><path>.
      const url = new URL(link, `http://site${base.replace(/\/$/, '')}${path}`);
      let target = decodeURIComponent(url.pathname);
      if (!target.startsWith(base)) {
        broken.push({ page: path, link, reason: `outside the base path ${base}` });
        continue;
      }
      target = `/${target.slice(base.length)}`.replace(/^\/+/, '/');
      const asPage = target.endsWith('/') ? target : `${target}/`;
      const isPage = pages.has(asPage) || pages.has(target);
      const exists = isPage || allFiles.has(target) || allFiles.has(posix.join(target, 'index.html'));
      if (!exists) {
        broken.push({ page: path, link, reason: 'no such page or file' });
        continue;
      }
      if (url.hash && url.hash !== '#' && url.hash !== '#_top') {
        const targetPage = pages.get(asPage) ?? pages.get(target);
        const id = decodeURIComponent(url.hash.slice(1));
        if (targetPage && !targetPage.ids.has(id)) broken.push({ page: path, link, reason: `no element with id "${id}" on ${asPage}` });
      }
    }
  }
  return broken;
}

/** The content file that produces a built page, for messages a contributor can act on. */
export function sourceOf(page: string): string {
  const slug = page.replace(/^\/|\/$/g, '');
  return slug === '' ? 'content/index.mdx' : `content/${slug}.mdx (or content/${slug}/index.mdx)`;
}

if (import.meta.main) {
  const dist = process.argv[2] ?? 'dist';
  const broken = await findBrokenLinks(dist, process.env.BASE_PATH ?? '/');
  for (const b of broken) console.error(`${sourceOf(b.page)}: link "${b.link}": ${b.reason}`);
  console.log(broken.length ? `${broken.length} broken link(s)` : 'no broken links');
  process.exitCode = broken.length ? 1 : 0;
}
