#!/usr/bin/env bash
# pg_dump and pg_restore round trip: every table's row count equal, audit chain intact.
#
#   PGHOST=127.0.0.1 PGPORT=5433 PGUSER=postgres PGPASSWORD=postgres \
#       bench/backup_roundtrip.sh sg_rel sg_rel_restore
#
# Dumps SOURCE (custom format), drops and re-creates TARGET, restores into it,
# counts the rows of every table in both (public schema) and compares them and the
# sequences' values, then
# runs `safeguarding audit verify` against TARGET. Exit status 0 when all is equal
# and the chain verifies. TARGET is dropped and re-created: give a scratch database.
set -euo pipefail

SOURCE=${1:?source database}
TARGET=${2:?scratch database to restore into}
: "${PGHOST:=127.0.0.1}" "${PGPORT:=5432}" "${PGUSER:=postgres}"
export PGHOST PGPORT PGUSER
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

counts() {
  psql -X -A -t -F ' ' -d "$1" -c "
    SELECT table_name,
           (xpath('/row/c/text()', query_to_xml(
               format('SELECT count(*) AS c FROM %I.%I', table_schema, table_name),
               false, true, '')))[1]::text::bigint
      FROM information_schema.tables
     WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
     ORDER BY table_name"
}

echo "pg_dump $(pg_dump --version | awk '{print $3}'), server $(psql -X -A -t -d "$SOURCE" -c 'SHOW server_version')"
start=$(date +%s.%N)
pg_dump -Fc -d "$SOURCE" -f "$WORK/dump"
dumped=$(date +%s.%N)
dropdb --if-exists "$TARGET"
createdb "$TARGET"
pg_restore --no-owner --exit-on-error -d "$TARGET" "$WORK/dump"
restored=$(date +%s.%N)
printf 'dump %.1f s (%s bytes), restore %.1f s\n' "$(echo "$dumped - $start" | bc)" \
  "$(stat -c %s "$WORK/dump")" "$(echo "$restored - $dumped" | bc)"

counts "$SOURCE" > "$WORK/source.txt"
counts "$TARGET" > "$WORK/target.txt"
tables=$(wc -l < "$WORK/source.txt")
rows=$(awk '{s += $2} END {print s}' "$WORK/source.txt")
if diff "$WORK/source.txt" "$WORK/target.txt"; then
  echo "row counts: equal in all $tables tables ($rows rows)"
else
  echo "row counts: DIFFERENT (above: < source, > restored)"
  exit 1
fi

seqs="SELECT sequencename, coalesce(last_value, 0) FROM pg_sequences ORDER BY 1"
if diff <(psql -X -A -t -d "$SOURCE" -c "$seqs") <(psql -X -A -t -d "$TARGET" -c "$seqs"); then
  echo "sequences: all $(psql -X -A -t -d "$TARGET" -c 'SELECT count(*) FROM pg_sequences') at the same value (new rows get new keys)"
else
  echo "sequences: DIFFERENT"
  exit 1
fi

url="postgres://${PGUSER}${PGPASSWORD:+:$PGPASSWORD}@${PGHOST}:${PGPORT}"
echo -n "source:   "
DATABASE_URL="$url/$SOURCE" "$ROOT/.venv/bin/safeguarding" audit verify
echo -n "restored: "
DATABASE_URL="$url/$TARGET" "$ROOT/.venv/bin/safeguarding" audit verify
