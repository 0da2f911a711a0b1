// @ts-check
// Expressive Code settings live here (not in astro.config.mjs) so that Starlight's <Code>
// component, which chapters and our components use, renders with the same settings.
import { defineEcConfig } from '@astrojs/starlight/expressive-code';
import { focusableScroll } from './src/site/code/focusable-scroll.ts';

export default defineEcConfig({
  themes: ['github-dark', 'github-light'],
  styleOverrides: { borderRadius: '0.4rem' },
  plugins: [focusableScroll()],
});
