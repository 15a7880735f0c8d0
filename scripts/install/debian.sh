#!/usr/bin/env bash
# Prometheus, hey and PostgreSQL from Debian. Packages are unpacked into the cache rather than
# installed, so no system service starts (Prometheus on 0.0.0.0:9090, a PostgreSQL cluster) and
# nothing outside the cache changes.
source "$(dirname "$0")/../lib.sh"
debs=$PERCH_CACHE/debian
mkdir -p "$debs"

# unpack PKG: downloads PKG's .deb once and unpacks it under $debs/root.
unpack() {
  local pkg=$1
  cd "$debs"
  if ! ls "$pkg"_*.deb >/dev/null 2>&1; then
    apt-get download "$pkg" >/dev/null 2>&1 || { apt-get update -qq && apt-get download "$pkg"; }
  fi
  dpkg-deb -x "$(ls "$pkg"_*.deb | head -1)" "$debs/root"
  log "unpacked $(ls "$pkg"_*.deb | head -1)"
}

for pkg in prometheus hey; do
  [ -x "$TOOLS_BIN/$pkg" ] && continue
  unpack "$pkg"
  ln -sf "$debs/root/usr/bin/$pkg" "$TOOLS_BIN/$pkg"
done
ln -sf "$debs/root/usr/bin/promtool" "$TOOLS_BIN/promtool"
"$TOOLS_BIN/prometheus" --version 2>&1 | head -1

# PostgreSQL for the self-hosted Temporal (scripts/production-temporal.sh): the server and initdb,
# and the client for pg_isready and psql. They stay in their folder (pg_bin), where they find their
# share/ files by relative path; the shared libraries they link are the system's.
pg=$(pg_bin)
[ -x "$pg/postgres" ] || unpack "postgresql-$POSTGRES_MAJOR"
[ -x "$pg/psql" ] || unpack "postgresql-client-$POSTGRES_MAJOR"
missing=$(for b in postgres initdb psql pg_isready; do ldd "$pg/$b"; done | awk '/not found/ {print $1}' | sort -u | tr '\n' ' ')
[ -z "$missing" ] || die "PostgreSQL $POSTGRES_MAJOR needs shared libraries this machine lacks: $missing(apt-get install postgresql-$POSTGRES_MAJOR brings them)"
"$pg/postgres" --version
