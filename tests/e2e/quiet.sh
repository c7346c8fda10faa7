#!/bin/bash
# Errors are never silent: under -q, which hides warnings and information,
# every command-ending error still prints its one line (with the system's
# reason where there is one) and the command still fails.
source "${CHORUS_SRC:?not set: the source tree}/tests/e2e/lib.sh"

export CHORUS_CHORUS_DATABASE="$DB"
export CHORUS_CHORUS_TEMPLATES="$CHORUS_SRC/templates"
export CHORUS_DIGEST_SPREAD_DAYS=1
"$CHORUS" -q init > /dev/null
printf 'email,name,roles\nann@example.com,Ann,eng\n' > "$T/e.csv"
printf 'id,title,url\np1,One,https://example.com/1\n' > "$T/p.csv"
"$CHORUS" -q import employees "$T/e.csv" > /dev/null
"$CHORUS" -q import posts "$T/p.csv" > /dev/null

# quiet_fails WANT_STATUS PATTERN CMD...: CMD under -q exits WANT_STATUS
# with exactly one line on stderr, matching PATTERN.
quiet_fails() {
	want=$1 pattern=$2
	shift 2
	set +e
	"$CHORUS" -q "$@" > /dev/null 2> "$T/err" < /dev/null
	got=$?
	set -e
	[ "$got" -eq "$want" ] || { cat "$T/err" >&2; fail "-q $*: exit $got, want $want"; }
	[ "$(wc -l < "$T/err")" -eq 1 ] ||
	    { cat "$T/err" >&2; fail "-q $*: $(wc -l < "$T/err") lines, want 1"; }
	grep -q -e "$pattern" "$T/err" ||
	    { cat "$T/err" >&2; fail "-q $*: no '$pattern'"; }
}

quiet_fails 1 "^chorus: report: cannot create a file beside '$T/none/x.csv': No such file or directory$" \
    report daily --out "$T/none/x.csv"
quiet_fails 1 "^chorus: redirector: cannot listen on '192.0.2.1:8080': " \
    redirector --listen 192.0.2.1:8080
if store_is sqlite; then
	quiet_fails 1 "^chorus: backup: '$T/none': No such file or directory$" \
	    backup "$T/none/b.db"
else
	quiet_fails 64 "^chorus: backup: .* with pg_dump" backup "$T/none/b.db"
fi
quiet_fails 1 "^chorus: templates: cannot make '$T/none/t': No such file or directory$" \
    templates export "$T/none/t"
"$CHORUS" -q templates export "$T/tq" > /dev/null
quiet_fails 1 "^chorus: templates: '$T/tq/digest.html' already exists (--force replaces it)$" \
    templates export "$T/tq"
chmod 000 "$T" 2>/dev/null || true
if [ "$(id -u)" -ne 0 ] && store_is sqlite; then
	quiet_fails 1 "^chorus: database '$DB': Permission denied$" status
fi
chmod 700 "$T"

# Standard output that cannot be written (a full device).
if [ -w /dev/full ]; then
	for cmd in "report daily" "digest preview ann@example.com"; do
		set +e
		"$CHORUS" -q $cmd > /dev/full 2> "$T/err"
		got=$?
		set -e
		[ "$got" -ne 0 ] || fail "-q $cmd > /dev/full succeeded"
		[ "$(wc -l < "$T/err")" -eq 1 ] ||
		    { cat "$T/err" >&2; fail "-q $cmd > /dev/full: not one line"; }
		expect_grep 'No space left on device$' "$T/err"
	done
fi
echo "quiet: every error printed under -q"
