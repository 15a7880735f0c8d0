#!/usr/bin/env bash
# PostgreSQL for the self-hosted Temporal (scripts/production-temporal.sh), from Debian's packages,
# unpacked into the cache (deb_unpack), so no cluster starts: the server and initdb, and the client
# for pg_isready and psql. They stay in their folder (pg_bin), where they find their share/ files by
# relative path; the shared libraries they link are the system's.
source "$(dirname "$0")/../lib.sh"
pg=$(pg_bin)
[ -x "$pg/postgres" ] || deb_unpack "postgresql-$POSTGRES_MAJOR"
[ -x "$pg/psql" ] || deb_unpack "postgresql-client-$POSTGRES_MAJOR"
missing=$(for b in postgres initdb psql pg_isready; do ldd "$pg/$b"; done | awk '/not found/ {print $1}' | sort -u | tr '\n' ' ')
[ -z "$missing" ] || die "PostgreSQL $POSTGRES_MAJOR needs shared libraries this machine lacks: $missing(apt-get install postgresql-$POSTGRES_MAJOR brings them)"
"$pg/postgres" --version
