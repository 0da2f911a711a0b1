import { spawnSync } from 'node:child_process';
import type { InstallHints, PrerequisiteResult } from '../backends/types.ts';
import { findExecutable, labPath } from './which.ts';

/** The package that ships each tool the engine or the labs rely on, per distribution family. */
const PACKAGES: Record<string, { why: string; debian: string; fedora: string; macos?: string }> = {
  unshare: { why: 'creates the lab’s private namespaces', debian: 'util-linux', fedora: 'util-linux' },
  nsenter: { why: 'runs each step inside the lab', debian: 'util-linux', fedora: 'util-linux' },
  setsid: { why: 'starts the lab’s daemons in their own session', debian: 'util-linux', fedora: 'util-linux' },
  ip: { why: 'makes namespaces, links and routes', debian: 'iproute2', fedora: 'iproute' },
  sysctl: { why: 'sets forwarding and neighbour options in each namespace', debian: 'procps', fedora: 'procps-ng' },
  timeout: { why: 'bounds commands inside steps', debian: 'coreutils', fedora: 'coreutils' },
  ping: { why: 'tests reachability', debian: 'iputils-ping', fedora: 'iputils' },
};

/**
 * Tools whose flavour matters: the labs' checks read their output, which differs between
 * implementations (busybox and inetutils ping print other summaries than iputils ping), and the
 * engine uses options busybox's namespace tools lack (`unshare --map-root-user`,
 * `nsenter --preserve-credentials`, `setsid -f`): with busybox's, doctor would otherwise blame user namespaces.
 */
const utilLinux = (tool: string, uses: string) => ({ args: ['--version'], pattern: /util-linux/i, want: `util-linux ${tool} (the engine uses its ${uses})` });
const FLAVOURS: Record<string, { args: string[]; pattern: RegExp; want: string }> = {
  ping: { args: ['-V'], pattern: /iputils/i, want: 'iputils ping (the checks read its "N received" summary)' },
  unshare: utilLinux('unshare', '--map-root-user option'),
  nsenter: utilLinux('nsenter', '--preserve-credentials option'),
  setsid: utilLinux('setsid', '-f (fork) option'),
  sysctl: { args: ['--version'], pattern: /procps/i, want: 'procps sysctl (the labs set options with -w and -q)' },
};

function hints(name: string): InstallHints | undefined {
  const pkg = PACKAGES[name];
  if (!pkg) return undefined;
  return { debian: `sudo apt-get install ${pkg.debian}`, fedora: `sudo dnf install ${pkg.fedora}`, ...(pkg.macos ? { macos: pkg.macos } : {}) };
}

/** Checks one executable: on the lab PATH, and of the right flavour where that matters. */
export function checkExecutable(name: string, why: string, install?: InstallHints): PrerequisiteResult {
  const found = findExecutable(name);
  const base = { name, why, install: install ?? hints(name) };
  if (!found) return { ...base, ok: false, detail: 'not found on PATH' };
  const flavour = FLAVOURS[name];
  if (flavour) {
    const probe = spawnSync(found, flavour.args, { encoding: 'utf8', timeout: 5000, env: { ...process.env, PATH: labPath() } });
    const said = `${probe.stdout ?? ''}${probe.stderr ?? ''}`.trim().split('\n')[0] ?? '';
    if (!flavour.pattern.test(`${probe.stdout}${probe.stderr}`)) {
      return { ...base, ok: false, detail: `${found} is not ${flavour.want}; it says: ${said || `exit status ${probe.status}`}`, install: install ?? hints(name) };
    }
    return { ...base, ok: true, detail: `${found} (${said})` };
  }
  return { ...base, ok: true, detail: found };
}

/** The engine's own tools, as prerequisite results. */
export function systemTools(names: string[]): PrerequisiteResult[] {
  return names.map((name) => checkExecutable(name, PACKAGES[name]?.why ?? 'the lab engine uses it'));
}
