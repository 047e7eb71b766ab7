/**
 * How busy the machine was with other work while a child ran: CPU time of the whole machine
 * (/proc/stat) minus that of this process and its waited-for children (/proc/self/stat), as a
 * share of all cores. The machine is shared, so this says how far a figure can be trusted.
 * Linux only; elsewhere every reading is null.
 */
import { readFileSync } from 'node:fs';

function machineJiffies() {
  // cpu  user nice system idle iowait irq softirq steal ...
  const [user, nice, system, idle, iowait, irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait };
}

function ownJiffies() {
  // Fields after the ")" that ends the command name: state is field 3; utime 14, stime 15, cutime 16, cstime 17.
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
}

/** Starts a reading; call the returned function when done to get the others' share in [0, 1]. */
export function startContention() {
  let m0;
  let o0;
  try {
    m0 = machineJiffies();
    o0 = ownJiffies();
  } catch {
    return () => null;
  }
  return () => {
    const m1 = machineJiffies();
    const o1 = ownJiffies();
    const total = m1.total - m0.total;
    if (total <= 0) return null;
    return Math.min(1, Math.max(0, (m1.busy - m0.busy - (o1 - o0)) / total));
  };
}
