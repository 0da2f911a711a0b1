import { spawnSync } from 'node:child_process';
import type { InstallHints } from '../backends/types.ts';
import { labPath } from './which.ts';
import { sysctl, systemInfo } from './system.ts';

export type SandboxMode = 'rootless' | 'root' | 'unavailable';

export interface SandboxSupport {
  mode: SandboxMode;
  /** One line: what works, or why nothing does. */
  detail: string;
  /** When user namespaces are refused: what to change, for this system. */
  fix?: InstallHints;
}

/**
 * Why unprivileged user namespaces are refused here, and how to allow them, from the kernel knobs
 * each distribution uses: Ubuntu >= 23.10 restricts them with AppArmor, Debian's older kernels
 * with `kernel.unprivileged_userns_clone`, RHEL-likes by `user.max_user_namespaces=0`.
 */
export function usernsDiagnosis(read: (name: string) => string | undefined = sysctl, info = systemInfo()): { cause: string; fix: InstallHints } {
  const fix: InstallHints = {};
  const causes: string[] = [];
  if (read('kernel.apparmor_restrict_unprivileged_userns') === '1') {
    causes.push('AppArmor restricts unprivileged user namespaces (kernel.apparmor_restrict_unprivileged_userns=1, the default since Ubuntu 23.10)');
    fix.debian =
      'sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0 (until reboot; or give unshare an AppArmor profile with the `userns` permission), or run the lab as root';
  }
  if (read('kernel.unprivileged_userns_clone') === '0') {
    causes.push('the kernel refuses them (kernel.unprivileged_userns_clone=0)');
    fix.debian ??= 'sudo sysctl -w kernel.unprivileged_userns_clone=1, or run the lab as root';
  }
  if (read('user.max_user_namespaces') === '0') {
    causes.push('user.max_user_namespaces is 0');
    fix.fedora = 'sudo sysctl -w user.max_user_namespaces=28633 (persist it in /etc/sysctl.d/), or run the lab as root';
    fix.debian ??= fix.fedora;
  }
  if (info.wsl) fix.other = 'WSL2 kernels allow user namespaces by default: update WSL (wsl --update), or run the lab as root';
  fix.other ??= 'allow unprivileged user namespaces, or run the lab as root (it then uses a private net + mount namespace)';
  return { cause: causes.join('; ') || 'unshare --user was refused', fix };
}

let probed: SandboxSupport | undefined;

/**
 * Which kind of outer namespace this machine allows, probed once per process: the one way the
 * engine, doctor and the lab server decide whether sandbox labs can run.
 */
export function sandboxSupport(): SandboxSupport {
  if (probed) return probed;
  if (process.platform !== 'linux') {
    return (probed = { mode: 'unavailable', detail: `the sandbox is made of Linux network namespaces; this is ${process.platform}`, fix: { macos: 'use a Linux VM (e.g. `limactl start`, `multipass launch`), or run the kind labs', other: 'use a Linux VM or WSL2' } });
  }
  const env = { ...process.env, PATH: labPath() } as Record<string, string>;
  // LAB_SANDBOX_NO_USERNS=1 forces the root path (tests use it to cover the fallback).
  const userns =
    process.env.LAB_SANDBOX_NO_USERNS === '1'
      ? { status: 1, stderr: 'disabled by LAB_SANDBOX_NO_USERNS=1', error: undefined }
      : spawnSync('unshare', ['--user', '--map-root-user', '--net', '--mount', 'true'], { env, encoding: 'utf8', timeout: 10_000 });
  if (userns.status === 0) return (probed = { mode: 'rootless', detail: 'user namespaces available: labs run rootless' });
  const said = (userns.stderr || userns.error?.message || '').trim().split('\n')[0];
  const { cause, fix } = usernsDiagnosis();
  if (process.getuid?.() === 0) {
    const root = spawnSync('unshare', ['--net', '--mount', 'true'], { env, encoding: 'utf8', timeout: 10_000 });
    if (root.status === 0) return (probed = { mode: 'root', detail: `user namespaces refused (${said}): running as root in a private net + mount namespace instead`, fix });
    return (probed = { mode: 'unavailable', detail: `unshare --net --mount failed: ${(root.stderr || root.error?.message || '').trim()}`, fix });
  }
  return (probed = { mode: 'unavailable', detail: `unprivileged user namespaces are not available: ${cause} (${said})`, fix });
}
