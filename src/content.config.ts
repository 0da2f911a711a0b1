import { defineCollection } from 'astro:content';
import { docsSchema } from '@astrojs/starlight/schema';
import { guideContentLoader } from './site/content-loader.ts';
import { guideFrontmatter } from './site/frontmatter.ts';

// Chapters live in the top-level `content/` folder so contributors find them without knowing Astro.
// Files and folders starting with `_` (the diagram cache, partials) are not pages.
export const collections = {
  docs: defineCollection({
    loader: guideContentLoader('./content'),
    schema: docsSchema({ extend: guideFrontmatter }),
  }),
};
