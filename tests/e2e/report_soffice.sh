#!/bin/bash
# A real spreadsheet opens every CSV report: LibreOffice converts each one
# (plain and --excel) to .xlsx, and every cell must come back exactly as
# the CSV has it (accented and CJK names included, no byte-order mark in the
# first cell) and no cell may have become a formula. Opened again with ';'
# and then tab as the only separator, as a spreadsheet in many European
# locales does, names, roles and titles holding ';' or ',' fall apart into
# cells of their own: none of those may be a formula either.
source "${CHORUS_SRC:?not set: the source tree}/tests/e2e/lib.sh"

if ! command -v soffice >/dev/null 2>&1; then
	echo "skip: soffice (Debian libreoffice-calc) is not installed"
	exit 0
fi

export CHORUS_CHORUS_DATABASE="$DB"
$CHORUS init >/dev/null
store_load "$DATA/report/fixture.sql"
# Names, roles and titles that hold a formula after a ';' or ','.
$CHORUS import employees "$DATA/import/formula_employees.csv" >/dev/null
$CHORUS import posts "$DATA/import/formula_posts.csv" >/dev/null
mkdir "$T/csv"
for r in attribution posts employees leaderboard daily program; do
	$CHORUS report $r --out "$T/csv/$r.csv"
	$CHORUS report $r --excel --out "$T/csv/$r-excel.csv"
done
# Field separator (44 comma, 59 semicolon, 9 tab), 34 double quote, 76
# UTF-8, from line 1; formulas are evaluated (LibreOffice's default).
convert() {
	mkdir "$T/$2"
	timeout 300 soffice --headless --norestore \
	    "-env:UserInstallation=file://$T/lo-profile" \
	    --infilter="CSV:$1,34,76,1" --convert-to xlsx --outdir "$T/$2" \
	    "$T"/csv/*.csv > "$T/soffice.log" 2>&1 ||
		{ cat "$T/soffice.log" >&2; fail "soffice failed"; }
}
convert 44 xlsx
convert 59 xlsx-semicolon
convert 9 xlsx-tab

python3 - "$T/csv" "$T/xlsx" "$T/xlsx-semicolon" "$T/xlsx-tab" <<'EOF'
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
            # An empty cell is left out: place each at its column (r="E2").
            ref = re.search(r'r="([A-Z]+)[0-9]+"', attrs)
            if ref:
                col = 0
                for ch in ref.group(1):
                    col = col * 26 + ord(ch) - 64
                cells += [''] * (col - 1 - len(cells))
            cells.append(v)
        rows.append(cells)
    return rows

csvdir, xdir, split_dirs = sys.argv[1], sys.argv[2], sys.argv[3:]
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
            elif re.fullmatch(r'[0-9]{4}-[0-9]{2}', b):
                # A month: a date, its first day, or the text as it is.
                d = datetime.date.fromisoformat(b + '-01')
                ok = a == b or (a != '' and float(a) == (d - EPOCH).days)
            elif re.fullmatch(r'-?[0-9]+', b):
                ok = a != '' and float(a) == int(b)
            elif re.fullmatch(r'[0-9]+\.[0-9]+', b):
                ok = a != '' and float(a) == float(b)
            else:
                ok = a == b
            if not ok:
                sys.exit('%s: row %d column %d: sheet %r, CSV %r' %
                    (name, i + 1, j + 1, a, b))
            seen.add(a)
for s in ('Ana María López', '李小龙', 'Ünshared 未分享', 'date',
        "'=HYPERLINK(\"http://evil.example/\")", "'+Growth @ scale",
        "Eve;'=1+1", "0;'=4+5;eng", "Mal, '=2+3", "'-ops;'@a;sales"):
    if s not in seen:
        sys.exit('%r is in no sheet' % s)

# Split on ';' or tab, the cells are no longer the CSV's: sheet() refuses
# any formula, and the pieces after a ';' are there, neutralised.
for d in split_dirs:
    pieces = set()
    for name in sorted(os.listdir(csvdir)):
        for row in sheet(os.path.join(d, name[:-4] + '.xlsx')):
            pieces.update(row)
    if 'xlsx-semicolon' in d:
        for s in ("'=4+5", "'=1+1", '""\'=3+4', "'@SUM(1)",
                "'=HYPERLINK(", "eng,", "'@a"):
            if not any(p.lstrip().startswith(s) for p in pieces):
                sys.exit('%s: no cell starts with %r' % (d, s))
print('libreoffice: %d sheets, every cell as in the CSV, no formula, '
    'none either split on ; or tab' % len(os.listdir(csvdir)))
EOF
