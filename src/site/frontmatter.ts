import { z } from 'astro/zod';

/**
 * Frontmatter fields the guide adds to Starlight's own. Strict where a typo would otherwise pass
 * silently: Starlight's schema drops keys it does not know, so a misspelt `k8sversion:` or
 * `sidebar: { ordr: 2 }` would build as if it were absent. Both objects here are strict (Starlight
 * merges its fields into them and keeps their strictness), so an unknown key fails the build with
 * the file and the key named, as a bad value already does.
 */
export const guideFrontmatter = z.strictObject({
  /**
   * The Kubernetes minor version the page's statements were last checked against.
   * @example k8sVersion: '1.37'
   */
  k8sVersion: z
    .string()
    .regex(/^1\.\d{1,2}$/, 'write the Kubernetes minor version as a quoted string, e.g. k8sVersion: \'1.37\'')
    .optional(),
  /** Starlight's sidebar fields (order, label, hidden, badge, attrs), merged in; no others. */
  sidebar: z.strictObject({}).prefault({}),
});

export type GuideFrontmatter = z.infer<typeof guideFrontmatter>;
