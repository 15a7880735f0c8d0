#!/usr/bin/env bash
# Prometheus and hey from Debian. Packages are unpacked into the cache rather than installed, so no
# system service starts on 0.0.0.0:9090 and nothing outside the cache changes.
source "$(dirname "$0")/../lib.sh"
debs=$PERCH_CACHE/debian
want="prometheus hey"
for pkg in $want; do
  bin=$pkg; [ -x "$TOOLS_BIN/$bin" ] && continue
  mkdir -p "$debs" && cd "$debs"
  if ! ls "$pkg"_*.deb >/dev/null 2>&1; then
    apt-get download "$pkg" >/dev/null 2>&1 || { apt-get update -qq && apt-get download "$pkg"; }
  fi
  dpkg-deb -x "$(ls "$pkg"_*.deb | head -1)" "$debs/root"
  ln -sf "$debs/root/usr/bin/$bin" "$TOOLS_BIN/$bin"
  log "unpacked $(ls "$pkg"_*.deb | head -1)"
done
ln -sf "$debs/root/usr/bin/promtool" "$TOOLS_BIN/promtool"
"$TOOLS_BIN/prometheus" --version 2>&1 | head -1
