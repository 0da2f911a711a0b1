/**
 * Where the site is published. Override for forks and previews:
 *   SITE_URL=https://you.github.io BASE_PATH=/k8s-networking-hands-on REPO_URL=https://github.com/you/k8s-networking-hands-on npm run build
 */
export const siteSettings = {
  site: process.env.SITE_URL ?? 'https://k8s-networking-hands-on.github.io',
  base: process.env.BASE_PATH ?? '/',
  /** Used for "Edit this page" links and the header's source link. */
  repo: (process.env.REPO_URL ?? 'https://github.com/k8s-networking-hands-on/guide').replace(/\/$/, ''),
};
