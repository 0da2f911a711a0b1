import { z } from 'zod';

/** How to install a prerequisite on each OS family. */
export const installHintsSchema = z
  .strictObject({
    /** @example "apt-get install tcpdump" */
    debian: z
      .string()
      .optional()
      .meta({ description: 'Install command on Debian and Ubuntu.', examples: ['apt-get install tcpdump'] }),
    /** @example "dnf install tcpdump" */
    fedora: z
      .string()
      .optional()
      .meta({ description: 'Install command on Fedora and RHEL-like systems.', examples: ['dnf install tcpdump'] }),
    /** @example "brew install tcpdump" */
    macos: z
      .string()
      .optional()
      .meta({ description: 'Install command on macOS (Homebrew).', examples: ['brew install tcpdump'] }),
    /** Anything else, e.g. a link to the install page. */
    other: z
      .string()
      .optional()
      .meta({ description: 'Anything else, e.g. a link to the install page.', examples: ['https://kind.sigs.k8s.io/docs/user/quick-start/#installation'] }),
  })
  .meta({ description: 'How to install it, per OS family; shown when it is missing.' });

/** An executable or a kernel module the lab needs, checked by `lab doctor <id>`. */
export const prerequisiteSchema = z
  .strictObject({
    /** An executable looked up on PATH. @example "tcpdump" */
    command: z
      .string()
      .regex(/^[a-zA-Z0-9_.+-]+$/, 'expected an executable name')
      .optional()
      .meta({ description: 'Name of an executable looked up on PATH (a name, not a path or a command line). Give `command` or `module`.', examples: ['tcpdump', 'helm'] }),
    /** A Linux kernel module that must be loaded (or built in). @example "br_netfilter" */
    module: z
      .string()
      .regex(/^[a-z0-9_]+$/, 'expected a kernel module name')
      .optional()
      .meta({
        description:
          'A Linux kernel module the lab needs, loaded or built in (`/sys/module/<name>`). Inside a user namespace the kernel will not load a module on demand, so doctor says how to load it (`sudo modprobe <name>`). Give `command` or `module`.',
        examples: ['br_netfilter', 'vxlan', 'nf_tables'],
      }),
    /** Why the lab needs it. @example "captures packets in step 4" */
    why: z
      .string()
      .min(1)
      .meta({ description: 'Why the lab needs it: a phrase read after "needed because it" in the message shown when it is missing.', examples: ['captures packets in step 4'] }),
    /** How to install it. */
    install: installHintsSchema.optional(),
  })
  .superRefine((pre, ctx) => {
    if ((pre.command === undefined) === (pre.module === undefined)) {
      ctx.addIssue({ code: 'custom', path: [], message: 'expected exactly one of `command` (an executable) or `module` (a kernel module)' });
    }
    if (pre.command !== undefined && pre.install === undefined) {
      ctx.addIssue({ code: 'custom', path: ['install'], message: 'missing; expected install hints for the command (debian, fedora, macos or other)' });
    }
  })
  .meta({ description: 'An executable or a kernel module the lab needs, checked by `npm run lab -- doctor <id>` and before `lab up`.' });

export type Prerequisite = z.infer<typeof prerequisiteSchema>;
