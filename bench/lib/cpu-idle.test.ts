import { describe, expect, it } from 'vitest';
import { busyShare, parseCpuTimes } from './cpu-idle.ts';

const STAT = (user: number, idle: number) => `cpu  ${user} 10 20 ${idle} 5 1 2 3 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\nintr 1 2 3\n`;

describe('cpu idle', () => {
  it('reads busy and total jiffies from the aggregate line only', () => {
    expect(parseCpuTimes(STAT(100, 1000))).toEqual({ busy: 100 + 10 + 20 + 1 + 2 + 3, total: 136 + 1000 + 5 });
  });

  it('gives the busy share between two readings', () => {
    const before = parseCpuTimes(STAT(100, 1000));
    expect(busyShare(before, parseCpuTimes(STAT(400, 1100)))).toBeCloseTo(300 / 400);
    expect(busyShare(before, parseCpuTimes(STAT(100, 1400)))).toBe(0);
    expect(busyShare(before, before)).toBe(0);
  });

  it('names a /proc/stat without the aggregate line', () => {
    expect(() => parseCpuTimes('intr 1 2\n')).toThrow(/aggregate "cpu" line/);
  });
});
