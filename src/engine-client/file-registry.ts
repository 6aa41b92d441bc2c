// Main-thread resources that must not go into the store: the File behind each image and its thumbnail.
// Object URLs are made only when a thumbnail is first shown (making 5,000 at once, as a reopened folder
// did, was the page's largest cost in a profile) and revoked when replaced or cleared so memory stays flat.
// A thumbnail still in the score store is asked for (`fetchStored`) the first time it is to be shown.
import type { FileIdentity } from '../worker/protocol.ts';

export class FileRegistry {
  private readonly files = new Map<string, File>();
  /**
   * Files whose size and date came with them (a folder handle's getFile()), so reading them costs nothing;
   * a picked folder's files fetch theirs from the browser, synchronously, on first use.
   */
  private readonly statKnown = new Set<string>();
  private readonly thumbs = new Map<string, Blob>();
  private readonly urls = new Map<string, string>();
  /** Images whose thumbnail waits in the score store, by content key; gone once asked for. */
  private readonly stored = new Map<string, string>();

  constructor(private readonly fetchStored: (id: string, contentKey: string) => void = () => {}) {}

  add(id: string, file: File, statKnown = false): void {
    this.files.set(id, file);
    if (statKnown) this.statKnown.add(id);
  }

  file(id: string): File | undefined {
    return this.files.get(id);
  }

  /** The file's name, size and date where reading them is free, else undefined. */
  identity(id: string): FileIdentity | undefined {
    const file = this.statKnown.has(id) ? this.files.get(id) : undefined;
    return file && { name: file.name, size: file.size, lastModified: file.lastModified };
  }

  /** Registers a thumbnail blob for an image; a URL made for the previous one is revoked. */
  setThumb(id: string, blob: Blob): void {
    const old = this.urls.get(id);
    if (old) URL.revokeObjectURL(old);
    this.urls.delete(id);
    this.stored.delete(id);
    this.thumbs.set(id, blob);
  }

  /** The image's thumbnail is in the score store under `contentKey` (a score kept from an earlier session). */
  setStoredThumb(id: string, contentKey: string): void {
    if (!this.thumbs.has(id)) this.stored.set(id, contentKey);
  }

  /** The thumbnail's object URL, made on first use; null when the image has none, or while it is fetched. */
  thumbUrl(id: string): string | null {
    const known = this.urls.get(id);
    if (known) return known;
    const blob = this.thumbs.get(id);
    if (!blob) {
      const contentKey = this.stored.get(id);
      if (contentKey !== undefined) {
        this.stored.delete(id);
        this.fetchStored(id, contentKey);
      }
      return null;
    }
    const url = URL.createObjectURL(blob);
    this.urls.set(id, url);
    return url;
  }

  clear(): void {
    for (const url of this.urls.values()) URL.revokeObjectURL(url);
    this.urls.clear();
    this.thumbs.clear();
    this.stored.clear();
    this.files.clear();
    this.statKnown.clear();
  }
}
