import { z } from 'zod';

/** How to install a prerequisite on each OS family. */
export const installHintsSchema = z
  .strictObject({
    /** @example "apt-get install tcpdump" */
    debian: z.string().optional(),
    /** @example "dnf install tcpdump" */
    fedora: z.string().optional(),
    /** @example "brew install tcpdump" */
    macos: z.string().optional(),
    /** Anything else, e.g. a link to the install page. */
    other: z.string().optional(),
  })
  .meta({ description: 'Install command per OS family.' });

/** An executable the lab needs, checked by `lab doctor <id>`. */
export const prerequisiteSchema = z.strictObject({
  /** An executable looked up on PATH. @example "tcpdump" */
  command: z.string().regex(/^[a-zA-Z0-9_.+-]+$/, 'expected an executable name'),
  /** Why the lab needs it. @example "captures packets in step 4" */
  why: z.string().min(1),
  /** How to install it. */
  install: installHintsSchema,
});

export type Prerequisite = z.infer<typeof prerequisiteSchema>;
