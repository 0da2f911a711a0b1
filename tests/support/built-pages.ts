import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every page of a production build, as site paths (`/cni/calico/`), read from the sitemap the
 * build wrote. Page-wide checks (validity, accessibility, console errors) make one test per page
 * from this list, so new chapters are checked without editing a test.
 */
export function builtPages(dist = 'dist'): string[] {
  const sitemap = readFileSync(join(dist, 'sitemap-0.xml'), 'utf8');
  return [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]!).pathname);
}
