import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { docsSchema } from '@astrojs/starlight/schema';
import { guideFrontmatter } from './site/frontmatter.ts';

// Chapters live in the top-level `content/` folder so contributors find them without knowing Astro.
// Files and folders starting with `_` (the diagram cache, partials) are not pages.
export const collections = {
  docs: defineCollection({
    loader: glob({ base: './content', pattern: '**/[^_]*.{md,mdx}' }),
    schema: docsSchema({ extend: guideFrontmatter }),
  }),
};
