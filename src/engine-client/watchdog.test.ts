import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Watchdog } from './watchdog.ts';

describe('Watchdog', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('fires once after the given silence, with that silence', () => {
    const fired = vi.fn();
    const w = new Watchdog(1000, fired);
    w.kick();
    vi.advanceTimersByTime(999);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledExactlyOnceWith(1000);
    expect(w.armed).toBe(false);
    vi.advanceTimersByTime(10_000);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('each kick restarts the countdown: steady progress never fires', () => {
    const fired = vi.fn();
    const w = new Watchdog(1000, fired);
    w.kick();
    for (let i = 0; i < 20; i++) {
      vi.advanceTimersByTime(900);
      w.kick();
    }
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(999);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it('kicked again after firing, it counts down afresh', () => {
    const fired = vi.fn();
    const w = new Watchdog(1000, fired);
    w.kick();
    vi.advanceTimersByTime(1000);
    w.kick();
    vi.advanceTimersByTime(999);
    expect(fired).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledTimes(2);
  });

  it('does not fire when stopped, nor before the first kick', () => {
    const fired = vi.fn();
    const w = new Watchdog(1000, fired);
    vi.advanceTimersByTime(5000);
    w.kick();
    vi.advanceTimersByTime(500);
    w.stop();
    expect(w.armed).toBe(false);
    vi.advanceTimersByTime(5000);
    expect(fired).not.toHaveBeenCalled();
  });

  it('refuses a timeout that would never or always fire', () => {
    for (const ms of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => new Watchdog(ms, () => {})).toThrow(/positive number/);
  });
});
