import { describe, expect, it } from 'vitest';
import { InFlight } from './in-flight.ts';

describe('InFlight', () => {
  it('the current image is the first sent and unanswered, across runs', () => {
    const f = new InFlight<string>();
    expect(f.current).toBeUndefined();
    f.add('run1', ['a', 'b']);
    f.add('run2', ['c']);
    expect(f.current).toBe('a');
    f.answered('run1', 'a');
    expect(f.current).toBe('b');
    f.answered('run1', 'b');
    expect(f.current).toBe('c');
    expect(f.size).toBe(1);
  });

  it('an ended run no longer counts, answered or not (a cancelled run leaves images behind)', () => {
    const f = new InFlight<string>();
    f.add('run1', ['a', 'b']);
    f.add('run2', ['c', 'd']);
    f.end('run1');
    expect(f.current).toBe('c');
    expect(f.size).toBe(2);
  });

  it('drain hands back every run with its unanswered images in order, and empties', () => {
    const f = new InFlight<string>();
    f.add('run1', ['a', 'b', 'c']);
    f.add('run2', ['d']);
    f.answered('run1', 'a');
    expect(f.drain()).toEqual([
      ['run1', ['b', 'c']],
      ['run2', ['d']],
    ]);
    expect(f.size).toBe(0);
    expect(f.current).toBeUndefined();
  });
});
