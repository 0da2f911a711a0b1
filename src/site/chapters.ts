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
