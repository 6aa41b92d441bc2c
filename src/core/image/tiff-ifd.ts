// TIFF image file directories (IFDs), as EXIF blocks and TIFF-based RAW files hold them: the one reader
// behind RAW previews (raw-preview.ts) and capture times (capture-time.ts). Pure; offsets are relative
// to the TIFF header the DataView starts at.

export interface IfdEntry {
  readonly type: number;
  readonly count: number;
  /** The value (SHORT/LONG) or the offset to the values; `at` is where the entry itself sits. */
  readonly value: number;
  readonly at: number;
}

/** The entries of the IFD at `at` by tag, or null when it does not fit before `end` or looks damaged. */
export function readIfd(dv: DataView, le: boolean, at: number, end: number): Map<number, IfdEntry> | null {
  if (at <= 0 || at + 2 > end) return null;
  const n = dv.getUint16(at, le);
  if (n === 0 || n > 1000 || at + 2 + n * 12 > end) return null;
  const entries = new Map<number, IfdEntry>();
  for (let i = 0; i < n; i++) {
    const e = at + 2 + i * 12;
    const type = dv.getUint16(e + 2, le);
    const count = dv.getUint32(e + 4, le);
    const value = type === 3 && count === 1 ? dv.getUint16(e + 8, le) : dv.getUint32(e + 8, le);
    entries.set(dv.getUint16(e, le), { type, count, value, at: e });
  }
  return entries;
}

/** An ASCII entry's text (inline up to 4 bytes, else at its offset), up to its first NUL; null otherwise. */
export function ifdText(bytes: Uint8Array, e: IfdEntry | undefined, maxLength = 64): string | null {
  if (!e || e.type !== 2) return null;
  const from = e.count <= 4 ? e.at + 8 : e.value;
  const length = Math.min(e.count, maxLength);
  if (from + length > bytes.length) return null;
  return String.fromCharCode(...bytes.subarray(from, from + length)).replace(/\0.*$/s, '').trim();
}
