// The Node side's content hash: synchronous (node:crypto), for bytes already in memory. Browser and worker
// code, and anything in src/core, use the WebCrypto sha256HexAsync (src/core/model/sha256.ts) instead.
import { createHash } from 'node:crypto';

export function sha256HexSync(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}
