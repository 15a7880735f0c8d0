#!/usr/bin/env bash
# Prometheus (the stack's) and hey (the demo's error traffic, the load tester's), from Debian's
# packages, unpacked into the cache (deb_unpack): Debian's package would start Prometheus as a
# service on 0.0.0.0:9090.
source "$(dirname "$0")/../lib.sh"
for pkg in prometheus hey; do
  [ -x "$TOOLS_BIN/$pkg" ] && continue
  deb_unpack "$pkg"
  ln -sf "$PERCH_CACHE/debian/root/usr/bin/$pkg" "$TOOLS_BIN/$pkg"
done
ln -sf "$PERCH_CACHE/debian/root/usr/bin/promtool" "$TOOLS_BIN/promtool"
"$TOOLS_BIN/prometheus" --version 2>&1 | head -1
