import { describe, expect, it } from 'vitest';
import { describeStorageError } from './profile-db.ts';

describe('describeStorageError', () => {
  it('names a full storage', () => {
    expect(describeStorageError(new DOMException('quota', 'QuotaExceededError'))).toMatch(/storage for this site is full/);
  });
  it('names storage the browser refuses', () => {
    for (const name of ['SecurityError', 'InvalidStateError', 'UnknownError']) {
      expect(describeStorageError(new DOMException('no', name))).toMatch(/does not allow this site to store data/);
    }
  });
  it('keeps the message of anything else', () => {
    expect(describeStorageError(new Error('disk on fire'))).toBe('Saving failed (disk on fire)');
  });
});
