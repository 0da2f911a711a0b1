/**
 * Where each lab step is explained: the page whose MDX embeds `<LabStep lab="…" step="…" />`.
 * A lab card lists all of its lab's steps, and a step may be explained on another page of the
 * chapter, or nowhere yet; the card links each step to where it really is (or not at all), so no
 * link points at an anchor that does not exist.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { contentFiles, slugOf } from '../../site/content-files.ts';

const tag = /<LabStep\s+([^>]*?)\/?>/g;
const attr = (attrs: string, name: string) => attrs.match(new RegExp(`\\b${name}="([^"]+)"`))?.[1];

let cached: Promise<Map<string, string[]>> | undefined;

/** `lab/step` -> slugs of the pages that embed it, in path order. */
export function stepPages(contentDir = path.resolve('content')): Promise<Map<string, string[]>> {
  cached ??= (async () => {
    const map = new Map<string, string[]>();
    for (const file of contentFiles(contentDir)) {
      for (const match of (await readFile(path.join(contentDir, file), 'utf8')).matchAll(tag)) {
        const lab = attr(match[1]!, 'lab');
        const step = attr(match[1]!, 'step');
        if (!lab || !step) continue;
        const slugs = map.get(`${lab}/${step}`) ?? [];
        if (!slugs.includes(slugOf(file))) slugs.push(slugOf(file));
        map.set(`${lab}/${step}`, slugs);
      }
    }
    return map;
  })();
  return cached;
}

/**
 * The href for a step in a lab card on page `currentSlug`: a same-page anchor when this page embeds
 * it, else a link to the first page that does, or undefined when no page embeds it. `allHere` is for pages that render every
 * step of the lab themselves (the test fixtures page).
 */
export function stepHref(pages: Map<string, string[]>, opts: { lab: string; step: string; anchor: string; currentSlug: string; base: string; allHere?: boolean }): string | undefined {
  if (opts.allHere) return `#${opts.anchor}`;
  const slugs = pages.get(`${opts.lab}/${opts.step}`) ?? [];
  if (slugs.includes(opts.currentSlug)) return `#${opts.anchor}`;
  const slug = slugs[0];
  if (slug === undefined) return undefined;
  const base = opts.base.endsWith('/') ? opts.base : `${opts.base}/`;
  return `${base}${slug ? `${slug}/` : ''}#${opts.anchor}`;
}
