import { existsSync } from 'node:fs';
import path from 'node:path';
import { contentFiles, isDraft } from './content-files.ts';

/** The guide's chapters in reading order: the sidebar groups and the build test both read this list. */
export const chapters = [
  { label: 'The network model', dir: 'network-model' },
  { label: 'CNI', dir: 'cni' },
  { label: 'Services', dir: 'services' },
  { label: 'Ingress & Egress', dir: 'ingress-egress' },
  { label: 'Network Policies', dir: 'network-policies' },
  { label: 'DNS', dir: 'dns' },
  { label: 'IPv6 and dual-stack', dir: 'ipv6' },
] as const;

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
    return contentFiles(folder).some((f) => !isDraft(path.join(folder, f)));
  });
}
