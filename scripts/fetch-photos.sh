#!/usr/bin/env bash
# Real high-resolution photographs for the detail bench and e2e test, from Debian's lomiri wallpaper packages
# (CC0 / CC-BY / CC-BY-SA, see .cache/photos/hires/copyright). Idempotent; needs apt's package lists
# (`apt-get update`). Writes .cache/photos/hires/*.jpg.
set -euo pipefail
cd "$(dirname "$0")/.."
out=.cache/photos/hires
want=(
  Kleiber_by_Lukas_Baubkus.jpg seeding_by_Clements_Engelhardt.jpg Dragonfly_by_Bolly.jpg
  sunset_by_Aitzol_Berasategi.jpg Bridge_by_Sander_Klootwijk.jpg Wine_by_Jakkub_Mede.jpg
  picosdeeuropa_by_Aitzol_Berasategi.jpg life_by_Aitzol_Berasategi.jpg aitzgorri_by_Aitzol_Berasategi.jpg
  friends_by_Aitzol_Berasategi.jpg
)
missing=0
for f in "${want[@]}"; do [ -f "$out/$f" ] || missing=1; done
[ "$missing" = 0 ] && { echo "photos: all ${#want[@]} present in $out"; exit 0; }
work=$(mktemp -d)
chmod 755 "$work" # apt downloads as the _apt user where it may
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download lomiri-wallpapers-16.04 lomiri-wallpapers-20.04 >/dev/null 2> >(grep -v unsandboxed >&2))
mkdir -p "$out"
for deb in "$work"/*.deb; do
  dpkg-deb -x "$deb" "$work/x"
done
for f in "${want[@]}"; do cp "$work/x/usr/share/backgrounds/$f" "$out/$f"; done
cp "$(find "$work/x/usr/share/doc" -name copyright | head -n 1)" "$out/copyright"
echo "photos: ${#want[@]} photos in $out"
