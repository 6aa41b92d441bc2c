import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HoldGate, MAX_HOLD_MS } from './hold-gate.ts';

describe('HoldGate', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());
  const gate = () => new HoldGate(() => Date.now());

  it('passes at once when nothing asked for a hold', async () => {
    const g = gate();
    let passed = false;
    void g.passed().then(() => (passed = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(passed).toBe(true);
    expect(g.holding).toBe(false);
  });

  it('waits out a hold, and a hold renewed meanwhile extends the wait', async () => {
    const g = gate();
    g.hold(500);
    let passed = false;
    void g.passed().then(() => (passed = true));
    await vi.advanceTimersByTimeAsync(400);
    g.hold(500); // a key pressed again: now until 900
    await vi.advanceTimersByTimeAsync(400);
    expect(passed).toBe(false);
    expect(g.holding).toBe(true);
    await vi.advanceTimersByTimeAsync(101);
    expect(passed).toBe(true);
  });

  it('never holds longer than MAX_HOLD_MS per ask, and ignores a shorter or invalid ask', async () => {
    const g = gate();
    g.hold(60_000);
    g.hold(10);
    g.hold(Number.NaN);
    let passed = false;
    void g.passed().then(() => (passed = true));
    await vi.advanceTimersByTimeAsync(MAX_HOLD_MS - 1);
    expect(passed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(passed).toBe(true);
  });
});
