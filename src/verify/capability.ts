// Can `tcpscn verify` run here? A cheap check (no namespace is created): Linux, the capabilities
// to create network namespaces and TUN devices, /dev/net/tun, and the two programs the namespace
// agent needs. `capabilityProblems` is pure (facts in, messages out) so every message is tested;
// `probeCapability` gathers the facts from this machine.

import { accessSync, constants, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface CapabilityFacts {
  platform: string;
  /** Effective capability mask from /proc/self/status (CapEff), or null when unreadable. */
  capEff: bigint | null;
  /** /dev/net/tun exists and can be opened for reading and writing. */
  tun: boolean;
  /** Path of python3, or null. */
  python: string | null;
  /** Path of the `ip` command, or null. */
  ip: string | null;
}

// linux/capability.h
const CAP_NET_ADMIN = 12n;
const CAP_SYS_ADMIN = 21n;

/** Exit status of `tcpscn verify` when this machine cannot run it (documented in README). */
export const EXIT_CANNOT_RUN = 3;

/** What is missing, one sentence each; empty when verify can run. */
export function capabilityProblems(f: CapabilityFacts): string[] {
  if (f.platform !== 'linux') return [`verify needs Linux (network namespaces and TUN devices); this is ${f.platform}`];
  const out: string[] = [];
  const has = (bit: bigint) => f.capEff !== null && ((f.capEff >> bit) & 1n) === 1n;
  if (!has(CAP_SYS_ADMIN))
    out.push('verify needs CAP_SYS_ADMIN to create network namespaces (unshare CLONE_NEWNET): run it as root');
  if (!has(CAP_NET_ADMIN))
    out.push('verify needs CAP_NET_ADMIN to configure TUN devices, addresses and routes: run it as root');
  if (!f.tun) out.push('verify needs /dev/net/tun (the tun kernel module), readable and writable');
  if (!f.python) out.push('verify needs python3 on PATH (its namespace agent uses only the standard library)');
  if (!f.ip) out.push('verify needs the `ip` command (iproute2)');
  return out;
}

function which(name: string, extra: readonly string[] = []): string | null {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), ...extra].filter(Boolean);
  for (const d of dirs) {
    const p = join(d, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return null;
}

export function probeCapability(): CapabilityFacts {
  let capEff: bigint | null = null;
  let tun = false;
  if (process.platform === 'linux') {
    try {
      const m = /^CapEff:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'));
      if (m) capEff = BigInt(`0x${m[1]}`);
    } catch {
      // unreadable: treated as no capabilities
    }
    try {
      accessSync('/dev/net/tun', constants.R_OK | constants.W_OK);
      tun = true;
    } catch {
      tun = false;
    }
  }
  return {
    platform: process.platform,
    capEff,
    tun,
    python: which('python3'),
    ip: which('ip', ['/usr/sbin', '/sbin']),
  };
}
