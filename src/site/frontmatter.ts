import { z } from 'astro/zod';

/**
 * Frontmatter fields the guide adds to Starlight's own. Strict where a typo would otherwise pass
 * silently: a misspelt `k8sVersion` fails the build with the file and field named.
 */
export const guideFrontmatter = z.object({
  /**
   * The Kubernetes minor version the page's statements were last checked against.
   * @example k8sVersion: '1.37'
   */
  k8sVersion: z
    .string()
    .regex(/^1\.\d{1,2}$/, 'write the Kubernetes minor version as a quoted string, e.g. k8sVersion: \'1.37\'')
    .optional(),
});

export type GuideFrontmatter = z.infer<typeof guideFrontmatter>;
