#!/bin/bash
# A real spreadsheet opens every CSV report: LibreOffice converts each one
# (plain and --excel) to .xlsx, and every cell must come back exactly as
# the CSV has it (accented and CJK names included, no byte-order mark in the
# first cell) and no cell may have become a formula.
source "$CHORUS_SRC/tests/e2e/lib.sh"

if ! command -v soffice >/dev/null 2>&1; then
	echo "skip: soffice (Debian libreoffice-calc) is not installed"
	exit 0
fi

export CHORUS_CHORUS_DATABASE="$T/r.db"
$CHORUS init >/dev/null
sqlite3 "$T/r.db" < "$DATA/report/fixture.sql"
mkdir "$T/csv" "$T/xlsx"
for r in attribution posts employees leaderboard daily; do
	$CHORUS report $r --out "$T/csv/$r.csv"
	$CHORUS report $r --excel --out "$T/csv/$r-excel.csv"
done
# 44 comma, 34 double quote, 76 UTF-8, from line 1.
timeout 300 soffice --headless --norestore \
    "-env:UserInstallation=file://$T/lo-profile" \
    --infilter="CSV:44,34,76,1" --convert-to xlsx --outdir "$T/xlsx" \
    "$T"/csv/*.csv > "$T/soffice.log" 2>&1 ||
	{ cat "$T/soffice.log" >&2; fail "soffice failed"; }

python3 - "$T/csv" "$T/xlsx" <<'EOF'
import csv, datetime, os, re, sys, zipfile
from xml.sax.saxutils import unescape

EPOCH = datetime.date(1899, 12, 30)

def unx(s):
    return unescape(s, {'&apos;': "'", '&quot;': '"'})

def sheet(path):
    z = zipfile.ZipFile(path)
    sst = []
    if 'xl/sharedStrings.xml' in z.namelist():
        for si in re.findall(r'<si>(.*?)</si>',
                z.read('xl/sharedStrings.xml').decode(), re.S):
            sst.append(''.join(unx(t) for t in
                re.findall(r'<t[^>]*>(.*?)</t>', si, re.S)))
    xml = z.read('xl/worksheets/sheet1.xml').decode()
    if '<f' in xml:
        sys.exit('%s: a cell became a formula' % path)
    rows = []
    for row in re.findall(r'<row [^>]*>(.*?)</row>', xml, re.S):
        cells = []
        for attrs, body in re.findall(r'<c ([^>]*?)(?:/>|>(.*?)</c>)', row,
                re.S):
            m = re.search(r'<v>(.*?)</v>', body or '')
            v = unx(m.group(1)) if m else ''
            if 't="s"' in attrs:
                v = sst[int(v)]
            cells.append(v)
        rows.append(cells)
    return rows

csvdir, xdir = sys.argv[1], sys.argv[2]
seen = set()
for name in sorted(os.listdir(csvdir)):
    want = list(csv.reader(open(os.path.join(csvdir, name),
        encoding='utf-8-sig', newline='')))
    got = sheet(os.path.join(xdir, name[:-4] + '.xlsx'))
    if len(got) != len(want):
        sys.exit('%s: %d rows in the sheet, %d in the CSV' %
            (name, len(got), len(want)))
    for i, (g, w) in enumerate(zip(got, want)):
        g = g + [''] * (len(w) - len(g))
        for j, (a, b) in enumerate(zip(g, w)):
            if re.fullmatch(r'[0-9]{4}-[0-9]{2}-[0-9]{2}', b):
                # A date: the sheet holds its day serial (from 1899-12-30).
                d = datetime.date.fromisoformat(b)
                ok = a != '' and float(a) == (d - EPOCH).days
            elif re.fullmatch(r'-?[0-9]+', b):
                ok = a != '' and float(a) == int(b)
            else:
                ok = a == b
            if not ok:
                sys.exit('%s: row %d column %d: sheet %r, CSV %r' %
                    (name, i + 1, j + 1, a, b))
            seen.add(a)
for s in ('Ana María López', '李小龙', 'Ünshared 未分享', 'date',
        "'=HYPERLINK(\"http://evil.example/\")", "'+Growth @ scale"):
    if s not in seen:
        sys.exit('%r is in no sheet' % s)
print('libreoffice: %d sheets, every cell as in the CSV, no formula' %
    len(os.listdir(csvdir)))
EOF
