#!/usr/bin/env bash
# Packs bench:gpu for a GPU machine that has neither npm nor this repo's node_modules (e.g. a CUDA server
# without network): Node itself, the bench as one file, sharp's and Dawn's native parts, the photos and a
# wasm reference run of the same files. Writes .gpu/ (ignored by git). On the GPU machine, from the repo:
#   mkdir -p /tmp/g && tar xJf .gpu/bundle.tar.xz -C /tmp/g && cp .gpu/bench.mjs /tmp/g/app/
#   /tmp/g/node /tmp/g/app/bench.mjs --model models/leaf-mnv2-140 --photos /tmp/g/app/photos/biq \
#     --hires /tmp/g/app/photos/hires --reference /tmp/g/app/ref/gpu-wasm.json --out OUTDIR
# (A Linux GPU machine needs a Vulkan loader, libvulkan1, and the vendor's Vulkan driver.)
set -euo pipefail
cd "$(dirname "$0")/.."
count=${COUNT:-32}
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p .gpu "$stage/app/node_modules/@img" "$stage/app/photos/biq" "$stage/app/photos/hires" "$stage/app/ref"

echo "reference scores on wasm (this machine)..."
npx tsx bench/gpu.ts --backend wasm --count "$count" --batches 1 --detail-batches 1 --seconds 0 --out "$stage/app/ref" >/dev/null

bundle() {
  npx esbuild bench/gpu.ts --bundle --platform=node --format=esm --target=node20 --log-level=error --outfile="$1" \
    --external:sharp --external:webgpu --banner:js="import { createRequire as __cr } from 'module'; const require = __cr(import.meta.url);"
}
bundle .gpu/bench.mjs
# The photos the reference scored, by name.
node -e '
const fs = require("fs"), path = require("path");
const [ref, biq, hires, out] = process.argv.slice(1);
for (const [setting, byName] of Object.entries(JSON.parse(fs.readFileSync(ref, "utf8")).scores)) {
  const [from, to] = / MP /.test(setting) ? [hires, "hires"] : [biq, "biq"];
  for (const name of Object.keys(byName)) fs.copyFileSync(path.join(from, name), path.join(out, to, name));
}' "$stage/app/ref/gpu-wasm.json" ../shared/data/biq2021/images .cache/photos/hires "$stage/app/photos"

cp -r node_modules/sharp node_modules/detect-libc node_modules/semver "$stage/app/node_modules/"
cp -r node_modules/@img/colour node_modules/@img/sharp-linux-x64 node_modules/@img/sharp-libvips-linux-x64 "$stage/app/node_modules/@img/"
mkdir -p "$stage/app/node_modules/webgpu/dist/linux-x64"
cp node_modules/webgpu/index.js node_modules/webgpu/package.json "$stage/app/node_modules/webgpu/"
cp node_modules/webgpu/dist/linux-x64/dawn.node "$stage/app/node_modules/webgpu/dist/linux-x64/"
cp "$(command -v node)" "$stage/node"
echo "compressing (a few minutes)..."
tar cJf .gpu/bundle.tar.xz -C "$stage" node app
du -sh .gpu/*
