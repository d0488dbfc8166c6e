// CPU time per process from Linux's /proc: a Chromium's process tree by role (browser, page renderers, the
// extension's process, network service, other helpers), and the machine's total, so that the bench can show what a
// variant spent and what the neighbours on a shared machine did meanwhile. Linux only; elsewhere every figure is 0.
import fs from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on every Linux build). */
const HZ = 100;

/** Fields of /proc/<pid>/stat after the parenthesised command name (which may contain spaces). */
function statFields(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return s.slice(s.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** User + system CPU time of one process (all its threads), in ms; null when it is gone. */
export function processCpuMs(pid) {
  const f = statFields(pid);
  // After the name: state(3) ppid(4) … utime(14) stime(15), so index 11 and 12 here.
  return f ? ((Number(f[11]) + Number(f[12])) * 1000) / HZ : null;
}

function cmdline(pid) {
  try {
    // Chromium rewrites its helpers' argv into one space-separated string: split on both.
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
  } catch {
    return [];
  }
}

/** The role of a Chromium process from its command line. */
export function roleOf(args) {
  const type = args.find((a) => a.startsWith('--type='))?.slice(7);
  if (!type) return 'browser';
  if (type === 'renderer') return args.includes('--extension-process') ? 'extension' : 'renderer';
  if (type === 'utility' && args.some((a) => a.includes('network.mojom.NetworkService'))) return 'network';
  return 'other';
}

/** Every pid with its parent. */
function parents() {
  const out = new Map();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const f = statFields(name);
    if (f) out.set(Number(name), Number(f[1]));
  }
  return out;
}

/** The pid of the Chromium whose command line holds `--user-data-dir=<profileDir>` (its browser process). */
export function browserPid(profileDir) {
  if (process.platform !== 'linux') return null;
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const args = cmdline(name);
    if (args.some((a) => a === `--user-data-dir=${profileDir}`) && !args.some((a) => a.startsWith('--type=')))
      return Number(name);
  }
  return null;
}

export const ROLES = ['renderer', 'extension', 'browser', 'network', 'other'];

/**
 * A Chromium's process tree (the browser process and its descendants) by role, refreshed on each `sample()`: new
 * renderers appear, exited ones keep what they were last seen to have spent.
 */
export function chromiumTree(rootPid) {
  /** pid → { role, last } */
  const known = new Map();
  const refresh = () => {
    if (!rootPid || process.platform !== 'linux') return;
    const pp = parents();
    const inTree = new Set([rootPid]);
    let grew = true;
    while (grew) {
      grew = false;
      for (const [pid, ppid] of pp)
        if (!inTree.has(pid) && inTree.has(ppid)) {
          inTree.add(pid);
          grew = true;
        }
    }
    for (const pid of inTree)
      if (!known.has(pid)) known.set(pid, { role: roleOf(cmdline(pid)), last: processCpuMs(pid) ?? 0 });
  };
  refresh();
  /** CPU ms by role, cumulative since each process started. */
  const sample = ({ rescan = false } = {}) => {
    if (rescan) refresh();
    const by = Object.fromEntries(ROLES.map((r) => [r, 0]));
    for (const [pid, p] of known) {
      const ms = processCpuMs(pid);
      if (ms !== null) p.last = ms;
      by[p.role] += p.last;
    }
    return by;
  };
  return { sample, pids: () => [...known.keys()] };
}

/** Busy CPU time of the whole machine (all cores) in ms, from /proc/stat. */
export function machineBusyMs() {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal …: busy = all but idle and iowait.
    const total = line.slice(0, 8).reduce((a, b) => a + b, 0);
    return ((total - line[3] - line[4]) * 1000) / HZ;
  } catch {
    return 0;
  }
}

/** Differences of two samples by role. */
export function diff(after, before) {
  return Object.fromEntries(Object.keys(after).map((k) => [k, after[k] - (before[k] ?? 0)]));
}
