#!/bin/sh
# CSV reading: common/csv.c over a 100,000-row employees file, beside
# Python's csv module (its reader is written in C) on the same file, in the
# same run. Both are CPU times (the machine is shared), start-up excluded,
# best of five.
set -eu
N=${N:-100000}
W=$(mktemp -d "${TMPDIR:-/tmp}/chorus-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT INT TERM

python3 - "$N" > "$W/e.csv" <<'PY'
import sys
print("email,name,roles,timezone,send_time,networks,frequency")
for i in range(int(sys.argv[1])):
    print(f'user{i}@example.com,"Number {i}, User ""{i % 97}""",'
          f'engineering;leadership,Europe/Berlin,08:{i % 60:02d},'
          f'linkedin;x,daily\r')
PY

make -s build/release/tests/test_csv
ours=$(build/release/tests/test_csv --bench "$W/e.csv")
anchor=$(python3 - "$W/e.csv" <<'PY'
import csv, sys, time
best = 1e9
for _ in range(5):
    t = time.process_time()
    n = f = 0
    with open(sys.argv[1], newline="") as fp:
        for row in csv.reader(fp):
            n += 1
            f += len(row)
    best = min(best, time.process_time() - t)
print(f"{best:.4f} s, {n} records, {f} fields")
PY
)
echo "file:                 $(wc -c < "$W/e.csv") bytes, $N rows + header"
echo "common/csv.c:         $ours"
echo "python3 csv (anchor): $anchor"
python3 -c "import sys; a=float(sys.argv[1]); b=float(sys.argv[2]); \
print(f'ratio:                {b / a:.1f}x faster')" "${ours%% *}" "${anchor%% *}"
