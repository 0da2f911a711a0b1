import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import type { InstallHints } from '../backends/types.ts';
import { systemInfo } from './system.ts';

/**
 * Where a module shows that it is present even when it has no /sys/module entry (built in without
 * parameters). br_netfilter creates the bridge-nf sysctls; nf_tables and vxlan are checked through
 * /sys/module or the kernel's list of built-in modules.
 */
const PRESENCE: Record<string, string> = {
  br_netfilter: '/proc/sys/net/bridge/bridge-nf-call-iptables',
};

function builtin(name: string): boolean {
  try {
    const list = readFileSync(`/lib/modules/${os.release()}/modules.builtin`, 'utf8');
    return new RegExp(`/${name.replace(/_/g, '[_-]')}\\.ko$`, 'm').test(list);
  } catch {
    return false;
  }
}

/** Whether a kernel module is loaded or built in, and how to load it if not. */
export function moduleStatus(name: string): { ok: boolean; detail: string; install: InstallHints } {
  const loaded = existsSync(`/sys/module/${name}`) || (PRESENCE[name] !== undefined && existsSync(PRESENCE[name]!));
  if (loaded) return { ok: true, detail: 'loaded', install: {} };
  if (builtin(name)) return { ok: true, detail: 'built into the kernel', install: {} };
  const available = existsSync(`/lib/modules/${os.release()}`);
  const load = `sudo modprobe ${name} (to load it at every boot: echo ${name} | sudo tee /etc/modules-load.d/k8s-net-labs.conf)`;
  const install: InstallHints = { debian: load, fedora: load };
  if (systemInfo().wsl) install.other = `WSL2: the module must be in WSL's kernel; try ${load}, or update WSL (wsl --update)`;
  return {
    ok: false,
    detail: `not loaded${available ? '' : ' (and no module folder for this kernel was found)'}: a kernel does not load modules on demand for a user namespace, so load it once by hand`,
    install,
  };
}
