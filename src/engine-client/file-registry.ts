// Main-thread resources that must not go into the store: the File behind each image and the thumbnail
// object URLs (revoked when replaced or cleared so memory does not grow with every rescore).
export class FileRegistry {
  private readonly files = new Map<string, File>();
  private readonly thumbs = new Map<string, string>();

  add(id: string, file: File): void {
    this.files.set(id, file);
  }

  file(id: string): File | undefined {
    return this.files.get(id);
  }

  /** Registers a thumbnail blob for an image and returns its URL; the previous one is revoked. */
  setThumb(id: string, blob: Blob): string {
    const old = this.thumbs.get(id);
    if (old) URL.revokeObjectURL(old);
    const url = URL.createObjectURL(blob);
    this.thumbs.set(id, url);
    return url;
  }

  clear(): void {
    for (const url of this.thumbs.values()) URL.revokeObjectURL(url);
    this.thumbs.clear();
    this.files.clear();
  }
}
