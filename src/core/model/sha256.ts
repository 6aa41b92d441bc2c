// WebCrypto exists in browsers, workers and Node 20 alike, so one hashing path serves every runtime. Async
// (WebCrypto has no synchronous digest); Node code hashing bytes in hand uses sha256HexSync (src/node/sha256.ts).
export async function sha256HexAsync(data: ArrayBuffer | Uint8Array): Promise<string> {
  const view = data instanceof Uint8Array ? data : new Uint8Array(data);
  const digest = await globalThis.crypto.subtle.digest('SHA-256', view as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
