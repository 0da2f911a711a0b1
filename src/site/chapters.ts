import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The guide's chapters in reading order: the sidebar groups and the build test both read this list. */
export const chapters = [
  { label: 'The network model', dir: 'network-model' },
  { label: 'CNI', dir: 'cni' },
  { label: 'Services', dir: 'services' },
  { label: 'Ingress & Egress', dir: 'ingress-egress' },
  { label: 'Network Policies', dir: 'network-policies' },
  { label: 'DNS', dir: 'dns' },
  { label: 'IPv6', dir: 'ipv6' },
] as const;

/** True if a page's frontmatter says `draft: true`. */
function isDraft(file: string): boolean {
  const frontmatter = readFileSync(file, 'utf8').match(/^---\n([\s\S]*?)\n---/)?.[1] ?? '';
  return /^draft:\s*true\s*$/m.test(frontmatter);
}

/**
 * The chapters to put in the sidebar: in a production build only those with at least one
 * published page (an empty group would be a dead end for readers); with drafts shown (the dev
 * server), all of them.
 */
export function sidebarChapters(contentDir: string, showDrafts: boolean) {
  return chapters.filter(({ dir }) => {
    if (showDrafts) return true;
    const folder = path.join(contentDir, dir);
    if (!existsSync(folder)) return false;
    const pages = readdirSync(folder, { recursive: true }).map(String).filter((f) => /\.mdx?$/.test(f) && !f.startsWith('_'));
    return pages.some((f) => !isDraft(path.join(folder, f)));
  });
}
