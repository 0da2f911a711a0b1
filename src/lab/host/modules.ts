import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import type { InstallHints } from '../backends/types.ts';
import { systemInfo } from './system.ts';
import { labPath } from './which.ts';

/**
 * How to see that a kernel feature works, for the modules labs use: a functional probe in a
 * throwaway network namespace where one exists (a module built into the kernel often has no
 * /sys/module entry, and a monolithic kernel has no /proc/modules at all), else a file the module
 * creates when present.
 */
const PROBES: Record<string, { probe?: string; file?: string }> = {
  br_netfilter: { file: '/proc/sys/net/bridge/bridge-nf-call-iptables' },
  bridge: { probe: 'ip link add lab-probe type bridge' },
  vxlan: { probe: 'ip link add lab-probe type vxlan id 42 dstport 4789' },
  ifb: { probe: 'ip link add lab-probe type ifb' },
  dummy: { probe: 'ip link add lab-probe type dummy' },
  veth: { probe: 'ip link add lab-probe type veth peer name lab-probe2' },
  ipip: { probe: 'ip link add lab-probe type ipip local 192.0.2.1 remote 192.0.2.2' },
  ip_gre: { probe: 'ip link add lab-probe type gre local 192.0.2.1 remote 192.0.2.2' },
  nf_tables: { probe: 'nft add table ip lab_probe' },
  nf_nat: { probe: "nft add table ip lab_probe && nft 'add chain ip lab_probe c { type nat hook postrouting priority 100; }'" },
  nf_conntrack: { probe: "nft add table ip lab_probe && nft 'add chain ip lab_probe c { type filter hook input priority 0; }' && nft add rule ip lab_probe c ct state established accept" },
  // tc features are tried on a veth (some kernels have no dummy device).
  sch_tbf: { probe: 'ip link add lab-probe type veth peer name lab-probe2 && tc qdisc add dev lab-probe root tbf rate 1mbit burst 32kbit latency 400ms' },
  sch_ingress: { probe: 'ip link add lab-probe type veth peer name lab-probe2 && tc qdisc add dev lab-probe ingress' },
  // u32 needs an action to be tried with; mirred is the one the bandwidth plugin uses.
  cls_u32: { probe: 'ip link add lab-probe type veth peer name lab-probe2 && ip link add lab-probe3 type ifb && tc qdisc add dev lab-probe ingress && tc filter add dev lab-probe parent ffff: protocol all u32 match u32 0 0 action mirred egress redirect dev lab-probe3' },
  act_mirred: { probe: 'ip link add lab-probe type veth peer name lab-probe2 && ip link add lab-probe3 type ifb && tc qdisc add dev lab-probe ingress && tc filter add dev lab-probe parent ffff: protocol all u32 match u32 0 0 action mirred egress redirect dev lab-probe3' },
  tun: { file: '/dev/net/tun' },
};

function builtin(name: string): boolean {
  try {
    const list = readFileSync(`/lib/modules/${os.release()}/modules.builtin`, 'utf8');
    return new RegExp(`/${name.replace(/_/g, '[_-]')}\\.ko$`, 'm').test(list);
  } catch {
    return false;
  }
}

/** Runs a probe in a scratch network namespace (rootless when allowed). */
function probeWorks(command: string): boolean {
  const env = { ...process.env, PATH: labPath() };
  const tries = [['--user', '--map-root-user', '--net'], ...(process.getuid?.() === 0 ? [['--net']] : [])];
  return tries.some((flags) => spawnSync('unshare', [...flags, 'bash', '-c', command], { env, stdio: 'ignore', timeout: 10_000 }).status === 0);
}

/** Whether a kernel module (or the feature it provides) is there, and how to load it if not. */
export function moduleStatus(name: string): { ok: boolean; detail: string; install: InstallHints } {
  const known = PROBES[name];
  if (existsSync(`/sys/module/${name}`)) return { ok: true, detail: 'loaded', install: {} };
  if (known?.file && existsSync(known.file)) return { ok: true, detail: `present (${known.file})`, install: {} };
  if (known?.probe && probeWorks(known.probe)) return { ok: true, detail: 'works (tried in a scratch namespace)', install: {} };
  if (builtin(name)) return { ok: true, detail: 'built into the kernel', install: {} };
  const load = `sudo modprobe ${name} (to load it at every boot: echo ${name} | sudo tee /etc/modules-load.d/k8s-net-labs.conf)`;
  const install: InstallHints = { debian: load, fedora: load };
  if (systemInfo().wsl) install.other = `WSL2: the module must be in WSL's kernel; try ${load}, or update WSL (wsl --update)`;
  return {
    ok: false,
    detail: `not loaded${known?.probe ? ', and the feature did not work in a scratch namespace' : ''}: a kernel does not load modules on demand for a user namespace, so load it once by hand`,
    install,
  };
}
