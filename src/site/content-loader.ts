import path from 'node:path';
import { glob } from 'astro/loaders';
import type { Loader } from 'astro/loaders';
import { newestCommitDates } from './git-dates.ts';

/**
 * Starlight's glob of the chapters, plus each page's "Last updated" date from git.
 * Starlight reads git dates only for `src/content/docs/` at build time; the chapters live in
 * `content/`, so this loader supplies the date itself (a page's own `lastUpdated` still wins).
 */
export function guideContentLoader(base: string): Loader {
  const inner = glob({ base, pattern: '**/[^_]*.{md,mdx}' });
  return {
    name: 'guide-content',
    load: async (context) => {
      const dates = newestCommitDates(path.resolve(base));
      await inner.load({
        ...context,
        parseData: (props) => {
          const file = props.filePath ? path.resolve(props.filePath) : undefined;
          const date = file ? dates.get(file) : undefined;
          const data = date && props.data.lastUpdated === undefined ? { ...props.data, lastUpdated: date } : props.data;
          return context.parseData({ ...props, data });
        },
      });
      // The glob loader reuses a cached entry whose file content did not change, so a page built
      // before its first commit would keep having no date. Fill those in; the changed digest makes
      // the next build parse the file again, which settles it.
      for (const entry of context.store.values()) {
        const date = entry.filePath ? dates.get(path.resolve(entry.filePath)) : undefined;
        if (date && entry.data.lastUpdated === undefined) {
          context.store.set({ ...entry, data: { ...entry.data, lastUpdated: date }, digest: `${entry.digest ?? ''}+git${date.getTime()}` });
        }
      }
    },
  };
}
