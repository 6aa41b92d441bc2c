// Waits for an idle machine (Linux: /proc/stat), so a timed run does not share the cores with work the
// browser started on its own, e.g. loading a new window's toolbar.
import fs from 'node:fs';

export interface CpuTimes {
  busy: number;
  total: number;
}

/** Busy and total jiffies summed over all cores, from the first ("cpu") line of /proc/stat. */
export function parseCpuTimes(procStat: string): CpuTimes {
  const line = procStat.split('\n').find((l) => /^cpu\s/.test(l));
  if (!line) throw new Error('no aggregate "cpu" line in /proc/stat');
  // user nice system idle iowait irq softirq steal (guest time is already counted in user and nice)
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait };
}

/** Share of the cores' time spent busy between two readings (0 when no time passed). */
export function busyShare(before: CpuTimes, after: CpuTimes): number {
  const total = after.total - before.total;
  return total > 0 ? (after.busy - before.busy) / total : 0;
}

const read = () => parseCpuTimes(fs.readFileSync('/proc/stat', 'utf8'));

/**
 * Resolves once the cores were less than `maxBusy` busy over two consecutive `windowMs` windows, or after
 * `limitMs` at most. Returns how long it waited. Where /proc/stat does not exist, waits `limitMs / 4`.
 */
export async function untilCpuIdle({ maxBusy = 0.25, windowMs = 250, limitMs = 15_000 } = {}): Promise<number> {
  const start = Date.now();
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  if (!fs.existsSync('/proc/stat')) {
    await sleep(limitMs / 4);
    return Date.now() - start;
  }
  let quiet = 0;
  let before = read();
  while (quiet < 2 && Date.now() - start < limitMs) {
    await sleep(windowMs);
    const after = read();
    quiet = busyShare(before, after) < maxBusy ? quiet + 1 : 0;
    before = after;
  }
  return Date.now() - start;
}
