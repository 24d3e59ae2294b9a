#!/usr/bin/env bash
# Back up the portal's PostgreSQL database with pg_dump, restore the dump into a scratch database, and prove the
# restore: every table's row count and a checksum of its rows must match the source. docs/operations.md, 备份与恢复.
#
#   scripts/backup_restore_check.sh                      # DATABASE_URL from the environment
#   DATABASE_URL=postgres://jingzi@127.0.0.1:5432/jingzi scripts/backup_restore_check.sh
#
# Environment:
#   DATABASE_URL   the database to back up (postgres://user[:password]@host[:port]/name[?options]); required
#   BACKUP_DIR     where the dump is written (default: a temporary folder, removed at the end)
#   SCRATCH_DB     the database restored into (default: <name>_restore_check); dropped and re-created, then
#                  dropped again at the end unless KEEP_SCRATCH=1. It must not be the source.
#   CHECKSUMS      1 (default) also compares an md5 of each table's rows; 0 compares row counts only
#
# Exit code 0 when every table matches, 1 otherwise. Prints one line per table and a summary line
# "backup-restore: N tables, R rows, dump D bytes, dump S s, restore T s: OK".
set -euo pipefail

die() { echo "backup_restore_check: $*" >&2; exit 2; }

[ -n "${DATABASE_URL:-}" ] || die "DATABASE_URL is not set"
case "$DATABASE_URL" in postgres://* | postgresql://*) ;; *) die "DATABASE_URL is not a postgres:// URL" ;; esac
for tool in pg_dump pg_restore psql; do command -v "$tool" >/dev/null || die "$tool is not installed (postgresql-client)"; done

# postgres://user@host:port/name?query → parts (libpq reads the URL itself; we only swap the database name).
rest="${DATABASE_URL#*://}"
query=""
case "$rest" in *\?*) query="?${rest#*\?}"; rest="${rest%%\?*}" ;; esac
source_db="${rest##*/}"
server="${DATABASE_URL%%://*}://${rest%/*}"
[ -n "$source_db" ] && [ "$source_db" != "$rest" ] || die "no database name in DATABASE_URL"
scratch_db="${SCRATCH_DB:-${source_db}_restore_check}"
[ "$scratch_db" != "$source_db" ] || die "SCRATCH_DB must differ from the source database"
source_url="$DATABASE_URL"
scratch_url="$server/$scratch_db$query"
maintenance_url="$server/postgres$query"

export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"  # no NOTICE for DROP … IF EXISTS
workdir="$(mktemp -d)"
backup_dir="${BACKUP_DIR:-$workdir}"
mkdir -p "$backup_dir"
dump="$backup_dir/${source_db}-$(date +%Y%m%dT%H%M%S).dump"
cleanup() {
    if [ "${KEEP_SCRATCH:-0}" != 1 ]; then
        psql "$maintenance_url" -X -q -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS \"$scratch_db\" WITH (FORCE)" \
            >/dev/null 2>&1 || true
    fi
    rm -rf "$workdir"
}
trap cleanup EXIT

# One line per table: "schema.table<TAB>rows<TAB>md5 of its rows in text order" (empty with CHECKSUMS=0 or no rows).
inventory() {
    local url=$1 checksum="NULL"
    [ "${CHECKSUMS:-1}" = 1 ] && checksum="md5(string_agg(t::text, chr(10) ORDER BY t::text))"
    psql "$url" -X -q -A -t -F $'\t' -v ON_ERROR_STOP=1 <<SQL
SET TIME ZONE 'UTC';
SELECT format('SELECT %L, count(*), $checksum FROM %I.%I t', table_schema || '.' || table_name, table_schema, table_name)
FROM information_schema.tables
WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
ORDER BY table_schema, table_name
\gexec
SQL
}

started=$(date +%s.%N)
pg_dump --format=custom --no-owner --no-privileges --file="$dump" "$source_url"
dumped=$(date +%s.%N)

psql "$maintenance_url" -X -q -v ON_ERROR_STOP=1 \
    -c "DROP DATABASE IF EXISTS \"$scratch_db\" WITH (FORCE)" -c "CREATE DATABASE \"$scratch_db\"" >/dev/null
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$scratch_url" "$dump"
restored=$(date +%s.%N)

inventory "$source_url" >"$workdir/source.tsv"
inventory "$scratch_url" >"$workdir/restored.tsv"

printf '%-48s %10s %10s  %s\n' "table" "source" "restored" "result"
tables=0 rows=0 bad=0
while IFS=$'\t' read -r table count sum; do
    other=$(awk -F '\t' -v t="$table" '$1 == t { print $2 "\t" $3 }' "$workdir/restored.tsv")
    other_count="${other%%$'\t'*}" other_sum="${other#*$'\t'}"
    result=ok
    if [ -z "$other" ]; then result="MISSING"; other_count="-"
    elif [ "$other_count" != "$count" ]; then result="ROW COUNT DIFFERS"
    elif [ "$other_sum" != "$sum" ]; then result="CONTENT DIFFERS"
    fi
    [ "$result" = ok ] || bad=$((bad + 1))
    tables=$((tables + 1)) rows=$((rows + count))
    printf '%-48s %10s %10s  %s\n' "$table" "$count" "$other_count" "$result"
done <"$workdir/source.tsv"
extra=$(awk -F '\t' 'NR == FNR { seen[$1] = 1; next } !($1 in seen) { print $1 }' "$workdir/source.tsv" "$workdir/restored.tsv")
[ -z "$extra" ] || { echo "tables only in the restore: $extra"; bad=$((bad + 1)); }

size=$(stat -c %s "$dump")
timing=$(awk -v a="$started" -v b="$dumped" -v c="$restored" 'BEGIN { printf "dump %.1f s, restore %.1f s", b - a, c - b }')
verdict=OK
[ "$bad" -eq 0 ] || verdict="FAILED ($bad tables differ)"
echo "backup-restore: $tables tables, $rows rows, dump $size bytes, $timing: $verdict"
[ -z "${BACKUP_DIR:-}" ] || echo "dump kept at $dump"
[ "$bad" -eq 0 ]
