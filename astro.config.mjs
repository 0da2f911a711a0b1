// @ts-check
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import mdx from '@astrojs/mdx';
import { unified } from '@astrojs/markdown-remark';
import { remarkDiagrams } from './src/site/diagrams/remark-diagrams.ts';
import { remarkBaseLinks } from './src/site/links/remark-base-links.ts';
import { remarkLabHeadings } from './src/site/lab-headings.ts';
import { rehypeFocusableTables } from './src/site/tables/focusable-tables.ts';
import { siteSettings } from './src/site/settings.ts';
import { sidebarChapters } from './src/site/chapters.ts';
import { labIntegration } from './src/server/astro-integration.ts';

const root = fileURLToPath(new URL('.', import.meta.url));
// `astro dev` shows draft pages, so it shows their chapters too.
const showDrafts = process.argv.includes('dev');

export default defineConfig({
  site: siteSettings.site,
  base: siteSettings.base,
  trailingSlash: 'ignore',
  server: { host: '127.0.0.1', port: Number(process.env.PORT ?? 4321) },
  markdown: {
    // Astro 7's default processor ignores remark/rehype plugins: the diagram plugin needs unified.
    processor: unified({
      remarkPlugins: [
        [remarkDiagrams, { cacheDir: `${root}content/_diagrams`, root }],
        [remarkBaseLinks, { base: siteSettings.base }],
        remarkLabHeadings,
      ],
      rehypePlugins: [rehypeFocusableTables],
    }),
  },
  vite: {
    build: {
      rollupOptions: {
        // Known and harmless with Astro 7 + MDX: one warning per .mdx file would bury real ones.
        onwarn(warning, warn) {
          if (warning.code === 'MODULE_LEVEL_DIRECTIVE' && String(warning.message).includes('astro:head-inject')) return;
          warn(warning);
        },
      },
    },
  },
  integrations: [
    starlight({
      title: 'Kubernetes Networking, Hands-On',
      description: 'How Kubernetes networking really works, with labs you run on your own machine and see pass or fail.',
      logo: { src: './src/assets/logo.svg', alt: '', replacesTitle: false },
      favicon: '/favicon.svg',
      social: [{ icon: 'github', label: 'Source on GitHub', href: siteSettings.repo }],
      editLink: { baseUrl: `${siteSettings.repo}/edit/main/` },
      lastUpdated: true,
      customCss: ['./src/styles/guide.css'],
      markdown: { processedDirs: ['./content'] },
      head: [
        { tag: 'meta', attrs: { property: 'og:type', content: 'website' } },
        { tag: 'meta', attrs: { property: 'og:image', content: new URL(`${siteSettings.base}og.png`.replace(/\/+/g, '/'), siteSettings.site).href } },
        { tag: 'meta', attrs: { property: 'og:image:alt', content: 'Kubernetes Networking, Hands-On' } },
      ],
      sidebar: [
        { label: 'Start here', items: [{ slug: 'index', label: 'Introduction' }, { slug: 'running-the-labs' }] },
        // Chapters fold to their titles except the one being read (Starlight keeps the group with
        // the current page open): a page lists its own chapter, not the whole guide's 40-odd pages.
        ...sidebarChapters(`${root}content`, showDrafts).map(({ label, dir }) => ({ label, collapsed: true, items: [{ autogenerate: { directory: `content/${dir}` } }] })),
      ],
    }),
    mdx(),
    labIntegration(),
  ],
});
