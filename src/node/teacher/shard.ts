// `--shard i/n`: one machine's share of a teacher run, chosen by the image's content hash, so n machines
// given the same files (in any order, under any names) split them without overlap or gaps, and a file
// copied twice lands on the same machine once.

export interface Shard {
  /** 1-based. */
  readonly index: number;
  readonly count: number;
}

export function parseShard(raw: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(raw.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || !(count >= 1) || !(index >= 1 && index <= count)) {
    throw new Error(`--shard must be i/n with 1 <= i <= n (e.g. 2/8 for the second of eight machines), got "${raw}"`);
  }
  return { index, count };
}

/** Whether the image with this sha256 (hex) content hash belongs to `shard`. */
export function inShard(contentHash: string, shard: Shard | undefined): boolean {
  if (!shard || shard.count === 1) return true;
  return (Number.parseInt(contentHash.slice(0, 8), 16) % shard.count) + 1 === shard.index;
}
