# `make install DESTDIR=... PREFIX=...` lays out the tree, and systemd
# accepts the units.
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/lib.sh"
build=$(dirname "$CHORUS")
build=${build#"$CHORUS_SRC"/}
root="$T/root"
make -s -C "$CHORUS_SRC" BUILD="$build" DESTDIR="$root" PREFIX=/usr \
	SYSCONFDIR=/etc install >"$T/make.log" 2>&1 || { cat "$T/make.log"; fail "make install failed"; }
for f in usr/bin/chorus usr/share/chorus/chorus.ini.example \
    usr/share/man/man1/chorus.1 usr/share/man/man5/chorus.ini.5 \
    usr/lib/systemd/system/chorus-redirector.service \
    usr/lib/systemd/system/chorus-scheduler.service; do
	[ -f "$root/$f" ] || fail "make install did not install $f"
done
[ -x "$root/usr/bin/chorus" ] || fail "chorus is not executable"
# The templates are in the binary, not beside it: the installed binary
# previews a digest from an empty directory, and writes them out on demand.
[ ! -e "$root/usr/share/chorus/templates" ] ||
	fail "make install installed templates the binary already carries"
mkdir "$T/empty"
(cd "$T/empty" && "$root/usr/bin/chorus" -c /dev/null --db "$DB" init &&
	"$root/usr/bin/chorus" -c /dev/null --db "$DB" import employees \
	    "$CHORUS_SRC/examples/employees.csv" &&
	"$root/usr/bin/chorus" -c /dev/null --db "$DB" import posts \
	    "$CHORUS_SRC/examples/posts.csv" &&
	"$root/usr/bin/chorus" -c /dev/null --db "$DB" digest preview \
	    ada.lovelace@example.com --format text) >"$T/preview" 2>&1 ||
	{ cat "$T/preview"; fail "the installed binary cannot preview a digest"; }
expect_grep "^Hello Ada" "$T/preview"
"$root/usr/bin/chorus" templates export "$T/exported" >/dev/null ||
	fail "the installed binary cannot export its templates"
for t in "$CHORUS_SRC"/templates/*.*; do
	[ -f "$t" ] || continue
	cmp -s "$t" "$T/exported/${t##*/}" ||
		fail "template ${t##*/} not exported as shipped"
done
expect_grep "^ExecStart=/usr/bin/chorus -c /etc/chorus/chorus.ini" \
	"$root/usr/lib/systemd/system/chorus-redirector.service"
# The database is chorus.ini's: a --db in a unit would keep a service on
# SQLite after chorus.database names PostgreSQL ("Moving to PostgreSQL").
for u in chorus-redirector chorus-scheduler; do
	expect_no_grep "--db" "$root/usr/lib/systemd/system/$u.service"
done
# The generated chorus.ini(5) carries every setting of the table.
for k in chorus.database smtp.url digest.max_posts redirector.listen; do
	expect_grep "^\.B $k" "$root/usr/share/man/man5/chorus.ini.5"
done
if command -v man >/dev/null 2>&1; then
	man -l "$root/usr/share/man/man1/chorus.1" >/dev/null 2>&1 || fail "chorus.1 does not format"
fi
# Both man pages format without a single groff warning, and chorus(1)
# lists every command of `chorus --help`.
if command -v groff >/dev/null 2>&1; then
	for m in man1/chorus.1 man5/chorus.ini.5; do
		groff -mandoc -ww -z "$root/usr/share/man/$m" >"$T/groff.log" 2>&1 || true
		[ ! -s "$T/groff.log" ] || { cat "$T/groff.log"; fail "groff warns about $m"; }
	done
fi
"$CHORUS" --help | sed -n 's/^  \([a-z][a-z]*\)  .*/\1/p' > "$T/commands"
[ -s "$T/commands" ] || fail "no command in chorus --help"
while read -r cmd; do
	grep -q "^\.It Cm $cmd\b" "$root/usr/share/man/man1/chorus.1" ||
		fail "chorus.1 lacks the command '$cmd'"
done < "$T/commands"

if command -v systemd-analyze >/dev/null 2>&1; then
	# verify checks that ExecStart's binary exists: look in the DESTDIR.
	for u in chorus-redirector chorus-scheduler; do
		sed "s|/usr/bin/chorus|$root/usr/bin/chorus|g" \
			"$root/usr/lib/systemd/system/$u.service" > "$T/$u.service"
		systemd-analyze verify --man=no "$T/$u.service" >"$T/verify.log" 2>&1 || {
			cat "$T/verify.log"; fail "systemd-analyze rejects $u.service"; }
		if grep -v -e "^$" "$T/verify.log" | grep -q "$u.service"; then
			cat "$T/verify.log"; fail "systemd-analyze warns about $u.service"
		fi
	done
else
	echo "install: systemd-analyze not found; units not verified"
fi
echo "install: all checks passed"
