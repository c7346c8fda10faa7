#!/bin/sh
# Benchmark: importing a 100,000-row employees.csv, beside the sqlite3
# shell's .import of the same file into a plain table (no validation, no
# upsert), in the same run. Prints both times and the ratio.
set -eu
CHORUS=${CHORUS:-./chorus}
N=${N:-100000}
W=$(mktemp -d "${TMPDIR:-/tmp}/chorus-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT INT TERM

python3 - "$N" > "$W/employees.csv" <<'PY'
import sys
zones = ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC", ""]
roles = ["engineering", "sales", "marketing;leadership", "support", "people"]
nets = ["", "linkedin", "linkedin;x", "x;facebook"]
print("email,name,roles,timezone,send_time,networks,frequency")
for i in range(int(sys.argv[1])):
    print(f"user{i}@example.com,User Number {i},{roles[i % 5]},"
          f"{zones[i % 5]},0{7 + i % 3}:{15 * (i % 4):02d},{nets[i % 4]},"
          f"{'weekly' if i % 7 == 0 else 'daily'}")
PY

now() { date +%s.%N; }
el() { echo "$2 - $1" | bc -l 2>/dev/null || python3 -c "print($2 - $1)"; }

"$CHORUS" --db "$W/c.db" init >/dev/null
t0=$(now)
"$CHORUS" --db "$W/c.db" import employees "$W/employees.csv"
t1=$(now)
"$CHORUS" --db "$W/c.db" import employees "$W/employees.csv"
t2=$(now)
sqlite3 "$W/s.db" "PRAGMA journal_mode=WAL" ".mode csv" \
	".import $W/employees.csv employees" >/dev/null
t3=$(now)

python3 - "$N" "$t0" "$t1" "$t2" "$t3" <<'PY'
import sys
n = int(sys.argv[1]); t0, t1, t2, t3 = map(float, sys.argv[2:])
first, again, shell = t1 - t0, t2 - t1, t3 - t2
print(f"import of {n} employees: first {first:.2f} s ({n/first:,.0f} rows/s), "
      f"unchanged re-import {again:.2f} s")
print(f"sqlite3 .import of the same file: {shell:.2f} s")
print(f"ratio chorus/sqlite3: first {first/shell:.1f}x, re-import {again/shell:.1f}x")
PY
