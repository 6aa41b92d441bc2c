// Thumbnails of scores that came from the score store stay there until a card (grid or filmstrip) shows
// the image: a reopened folder of 5,000 photos reads only the few dozen on screen. Cards ask during render;
// the asks of one render are read in one transaction.
import { request } from '../shared/indexed-db.ts';
import { openScoreDb } from '../shared/score-db.ts';

/** Thumbnails by content key, in one read transaction (null where none is stored or the store fails). */
export async function readStoredThumbs(contentKeys: readonly string[]): Promise<(Blob | null)[]> {
  try {
    const store = (await openScoreDb()).transaction('thumbs', 'readonly').objectStore('thumbs');
    return await Promise.all(
      contentKeys.map(async (k) => {
        const v: unknown = await request(store.get(k));
        return v instanceof Blob ? v : null;
      }),
    );
  } catch {
    // A card without its thumbnail is no reason to stop anything.
    return contentKeys.map(() => null);
  }
}

/** Collects the asks of one task and reads them together; `deliver` hears each image's thumbnail (or null). */
export class StoredThumbLoader {
  private wanted = new Map<string, string>();
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly read: (contentKeys: readonly string[]) => Promise<(Blob | null)[]>,
    private readonly deliver: (found: readonly (readonly [string, Blob | null])[]) => void,
  ) {}

  want(imageId: string, contentKey: string): void {
    this.wanted.set(imageId, contentKey);
    this.timer ??= setTimeout(() => void this.load(), 0);
  }

  private async load(): Promise<void> {
    this.timer = null;
    const batch = [...this.wanted];
    this.wanted = new Map();
    const blobs = await this.read(batch.map(([, key]) => key));
    this.deliver(batch.map(([id], i) => [id, blobs[i] ?? null] as const));
  }
}
