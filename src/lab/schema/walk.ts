import { z } from 'zod';
import { breakSchema } from './break.ts';
import { targetSchema } from './command.ts';

/** A regular expression matched against a namespace name or a rule's text. */
const pattern = z.string().min(1).superRefine((source, ctx) => {
  try {
    new RegExp(source);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `expected a valid regular expression (${(error as Error).message})` });
  }
});

/** Regular expressions each of which must match a rule met in one direction. */
const rulesPattern = (who: string) =>
  z.array(pattern).default([]).meta({
    description: `Regular expressions each of which must match one rule ${who} met, written \`<family> <table> <chain>: <rule>\` (e.g. \`KUBE-SEP-.*dnat to 10\\.244\`).`,
    examples: [['dnat to 10\\.244\\.1\\.[23]:8080']],
  });

/** Regular expressions each of which must match a rewrite seen in one direction. */
const rewritesPattern = (who: string) =>
  z.array(pattern).default([]).meta({
    description: `Regular expressions each of which must match one address rewrite ${who} underwent, written \`<namespace> <kind>: <change>\`: kinds \`dnat\`, \`snat\`, \`masquerade\`, \`redirect\`, \`un-nat\` (conntrack translating a reply back), \`encap\`/\`decap\` (a tunnel device; for VXLAN with the outer packet seen, e.g. \`node1 encap: into the tunnel device flannel.1 as VXLAN (VNI 1) 192.168.0.11:40000 → 192.168.0.12:8472\`), \`translate\` (a program behind a TUN device, such as NAT64).`,
    examples: [['node1 dnat: destination 10\\.96\\.0\\.10:80 → 10\\.244\\.\\d+\\.\\d+:8080', 'node1 encap: .*VXLAN \\(VNI 1\\)']],
  });

/** What the reply must show: its path, and optionally rules and rewrites it meets. */
export const walkReplyExpectSchema = z
  .strictObject({
    path: pattern.meta({ description: "The reply's namespaces in order, written like the request's `path`.", examples: ['web-[ab] node1 client1'] }),
    rules: rulesPattern('the reply'),
    rewrites: rewritesPattern('the reply'),
  })
  .meta({ description: 'The reply: its path, rules it meets and rewrites it undergoes (e.g. the un-DNAT of a ClusterIP reply: `node1 un-nat: source 10\\.244\\.1\\.2:8080 → 10\\.96\\.0\\.10:80`).' });

/** What a walk must show, so a broken data plane is seen. */
export const walkExpectSchema = z
  .strictObject({
    /** The request's namespaces in order, space-separated (tunnel hops left out): a regular expression for the whole path. */
    path: pattern.meta({
      description:
        "The namespaces the request crosses, in order, joined by spaces (the outer packets of a tunnel left out): a regular expression that must match the whole path, e.g. `client1 node1 web-[ab]` or `client2 node2 (web-c|lan node1 web-[ab])` when the endpoint is picked at random.",
      examples: ['client1 node1 web-[ab]', 'pod-a node1 node2 pod-c'],
    }),
    /** Regular expressions each of which must match a rule the request met (its text or `chain: rule`). */
    rules: rulesPattern('the request'),
    /** Regular expressions each of which must match a rewrite of the request (`<ns> <kind>: <change>`). */
    rewrites: rewritesPattern('the request'),
    /** How the request ends; default delivered. */
    outcome: z.enum(['delivered', 'dropped']).default('delivered').meta({ description: 'How the request ends: `delivered` (default) or `dropped`.' }),
    /** The reply: its path as a string, or its path, rules and rewrites; when given, the reply must be seen and match. */
    reply: z
      .union([
        pattern.meta({ description: "The reply's path, written like `path`; the reply must be seen and take it.", examples: ['web-[ab] node1 client1'] }),
        walkReplyExpectSchema,
      ])
      .optional()
      .meta({ description: "The reply, when it must be seen: its path (a string written like `path`), or `{ path, rules, rewrites }` to check rules it meets and rewrites it undergoes too." }),
  })
  .meta({ description: 'What the walk must show: the request path, rules it meets, rewrites it undergoes, how it ends, and optionally the reply.' });

/** A packet walk recorded for a page and proved like a check. */
export const walkSchema = z
  .strictObject({
    /** Unique in the lab; pages embed the walk by it. */
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected a walk id: lowercase letters, digits and dashes').meta({ description: 'Unique in the lab; pages embed the walk by it (`<PacketWalk lab="…" walk="…" />`).', examples: ['clusterip-iptables'] }),
    /** One line. */
    title: z.string().min(1).meta({ description: 'One line saying which packet this follows.', examples: ["A pod's connection to a ClusterIP"] }),
    /** The namespace the probe leaves from. */
    from: targetSchema.meta({ description: 'The network namespace the probe is sent from (a pod, a node, the outside).', examples: ['client1', 'outside'] }),
    /** Where it goes: `address`, `address:port` or `[IPv6]:port`. */
    to: z.string().min(1).meta({ description: 'Where the probe goes: `address` (ICMP), `address:port` or `[IPv6 address]:port`.', examples: ['10.96.0.10:80', '10.244.2.2', '[fd00:10:96::a]:80'] }),
    /** tcp (one connection), udp (one datagram) or icmp (one echo request). */
    proto: z.enum(['tcp', 'udp', 'icmp']).optional().meta({ description: 'The probe: `tcp` (one connection), `udp` (one datagram) or `icmp` (one echo request); default tcp with a port, icmp without.' }),
    /** Probes sent until one shows what `expect` says (a random endpoint pick); default 1. */
    attempts: z.number().int().min(1).max(20).default(1).meta({
      description: 'How many probes to send, one walk each, until one shows what `expect` says; default 1. For a walk that depends on a random endpoint pick (a hairpin: the pick lands on the client itself). `lab prove` sends them all on each break: none may match.',
      examples: [1, 8],
    }),
    /** Markdown shown with the walk. */
    explain: z.string().optional().meta({ description: 'Markdown shown with the walk: what to look for.' }),
    expect: walkExpectSchema,
    /** Ways to break the data plane the walk crosses; prove shows the walk changes. */
    breaks: z.array(breakSchema).min(1, 'expected at least one way to break what the walk shows').meta({
      description: 'Ways to break the data plane the walk crosses (like a check\'s `breaks`): `lab prove` shows the walk no longer matches `expect` on each, then matches again after the restore.',
    }),
  })
  .meta({ description: 'A packet walk: one probe followed hop by hop through the data plane (`npm run lab -- trace`), recorded for the page and proved like a check.' });

export type LabWalk = z.infer<typeof walkSchema>;
export type WalkExpect = z.infer<typeof walkExpectSchema>;
