// Usage: npx tsx scripts/derive-backbone.ts OUT_DIR — writes backbone.json + backbone.bin (see src/node/derive-backbone.ts).
import { deriveBackbone } from '../src/node/derive-backbone.ts';

const outDir = process.argv[2];
if (!outDir) {
  console.error('usage: derive-backbone.ts OUT_DIR');
  process.exit(2);
}
const r = deriveBackbone(outDir);
console.log(`backbone: ${r.nodes} nodes, ${r.tensors} tensors, ${r.bytes} bytes -> ${outDir}`);
