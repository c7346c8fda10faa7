# The Debian package: `make deb` builds it lintian-clean; dpkg installs it
# on this machine with the chorus user, /var/lib/chorus and the conffile;
# `chorus init` runs as that user against /var/lib/chorus; remove keeps the
# data and the settings, purge leaves nothing behind but the user.
# Runs as root only, and never on a machine where chorus is already in
# /usr/bin, /etc/chorus or /var/lib/chorus: it would take them over.
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/lib.sh"
store_only sqlite "the package's own database file, /var/lib/chorus/chorus.db"

skip() {
	echo "SKIP: deb: $*"
	exit 0
}
[ "$(id -u)" -eq 0 ] || skip "not root (dpkg -i needs root)"
for c in dpkg-buildpackage dh dh_installsysusers lintian dpkg-query runuser; do
	command -v $c >/dev/null 2>&1 ||
		skip "$c not found (sh tools/deps.sh deb installs it)"
done
# The package's dpkg status, empty when dpkg never heard of it.
pkg_status() {
	dpkg-query -W -f='${Status}' chorus 2>/dev/null | grep -v not-installed || true
}
[ -z "$(pkg_status)" ] || skip "a chorus package is on this machine ($(pkg_status))"
for p in /usr/bin/chorus /etc/chorus /var/lib/chorus \
    /lib/systemd/system/chorus-redirector.service \
    /lib/systemd/system/chorus-scheduler.service; do
	[ ! -e "$p" ] || skip "$p exists (chorus installed from source?); not touching it"
done

had_user=no
getent passwd chorus >/dev/null && had_user=yes
installed=no
# On any failure: purge what this test installed, and the user it made.
undo() {
	if [ $installed = yes ]; then
		dpkg --purge chorus >/dev/null 2>&1 || true
	fi
	if [ $had_user = no ] && getent passwd chorus >/dev/null; then
		userdel chorus 2>/dev/null || true
		groupdel chorus 2>/dev/null || true
	fi
}
cleanup_hooks="undo"

# Build: make deb runs lintian itself; its full report is read again here.
make -C "$CHORUS_SRC" deb DEBDIR="$T/deb" >"$T/make.log" 2>&1 ||
	{ tail -n 40 "$T/make.log"; fail "make deb failed"; }
version=$(sed -n 's/.*define CHORUS_VERSION "\(.*\)"/\1/p' "$CHORUS_SRC/chorus.c")
arch=$(dpkg --print-architecture)
deb="$T/deb/chorus_${version}_$arch.deb"
[ -f "$deb" ] || { ls "$T/deb" >&2; fail "no chorus_${version}_$arch.deb"; }
expect_grep "^deb: .*chorus_${version}_$arch.deb" "$T/make.log"
lintian "$T/deb/chorus_${version}_$arch.changes" >"$T/lintian.log" 2>&1 || true
if grep -q -e '^[EW]: ' "$T/lintian.log"; then
	cat "$T/lintian.log" >&2
	fail "lintian reports errors or warnings"
fi

# Install.
installed=yes
dpkg -i "$deb" </dev/null >"$T/dpkg.log" 2>&1 || { cat "$T/dpkg.log"; fail "dpkg -i failed"; }
[ "$(dpkg-query -W -f='${Status}' chorus)" = "install ok installed" ] ||
	fail "chorus is not installed after dpkg -i"
[ "$(dpkg-query -W -f='${Version}' chorus)" = "$version" ] ||
	fail "package version is not $version"
[ "$(/usr/bin/chorus --version)" = "chorus $version" ] ||
	fail "/usr/bin/chorus --version is not 'chorus $version'"

# The user, a system account that cannot log in, and its state directory.
getent passwd chorus >"$T/passwd" || fail "no chorus user"
IFS=: read -r _ _ uid gid _ home shell <"$T/passwd"
[ "$uid" -lt 1000 ] || fail "chorus is not a system user (uid $uid)"
[ "$home" = /var/lib/chorus ] || fail "chorus's home is $home"
case $shell in */nologin | */false) ;; *) fail "chorus can log in ($shell)" ;; esac
[ "$(getent group chorus | cut -d: -f3)" = "$gid" ] || fail "chorus's group is not chorus"
[ "$(stat -c '%U:%G %a' /var/lib/chorus)" = "chorus:chorus 750" ] ||
	fail "/var/lib/chorus is $(stat -c '%U:%G %a' /var/lib/chorus)"

# The settings: a conffile, pointing at /var/lib/chorus.
dpkg-query -W -f='${Conffiles}\n' chorus >"$T/conffiles"
expect_grep "^ /etc/chorus/chorus.ini [0-9a-f]\{32\}$" "$T/conffiles"
expect_grep "^database = /var/lib/chorus/chorus.db$" /etc/chorus/chorus.ini

# The units: installed, disabled, as the chorus user, and accepted by systemd.
for u in chorus-redirector chorus-scheduler; do
	f=/lib/systemd/system/$u.service
	[ -f $f ] || fail "$f not installed"
	expect_grep "^User=chorus$" $f
	expect_grep "^StateDirectory=chorus$" $f
	expect_no_grep "DynamicUser" $f
	expect_grep "^ExecStart=/usr/bin/chorus -c /etc/chorus/chorus.ini" $f
	[ ! -e /etc/systemd/system/multi-user.target.wants/$u.service ] ||
		fail "$u is enabled on install"
	if command -v systemd-analyze >/dev/null 2>&1; then
		systemd-analyze verify --man=no $f >"$T/verify.log" 2>&1 ||
			{ cat "$T/verify.log"; fail "systemd-analyze rejects $f"; }
	fi
done
[ -f /usr/lib/sysusers.d/chorus.conf ] || fail "no sysusers.d/chorus.conf"

# Manual pages and documentation.
for m in man1/chorus.1.gz man5/chorus.ini.5.gz; do
	[ -f /usr/share/man/$m ] || fail "/usr/share/man/$m not installed"
done
zcat /usr/share/man/man5/chorus.ini.5.gz >"$T/chorus.ini.5"
expect_grep "^\.B redirector.listen" "$T/chorus.ini.5"
for d in README.md.gz changelog.gz copyright; do
	[ -f /usr/share/doc/chorus/$d ] || fail "/usr/share/doc/chorus/$d not installed"
done

# What ExecStartPre does: init as the service user, in its directory, with
# the unit's umask. The database is chorus's and not world-readable.
as_chorus() {
	(cd /var/lib/chorus && umask 0027 &&
		runuser -u chorus -- /usr/bin/chorus -c /etc/chorus/chorus.ini "$@")
}
expect_status 0 as_chorus init
[ -f /var/lib/chorus/chorus.db ] || fail "init made no /var/lib/chorus/chorus.db"
[ "$(stat -c '%U:%G %a' /var/lib/chorus/chorus.db)" = "chorus:chorus 640" ] ||
	fail "chorus.db is $(stat -c '%U:%G %a' /var/lib/chorus/chorus.db)"
expect_status 0 as_chorus init
expect_status 0 as_chorus config
expect_grep "^chorus.database = /var/lib/chorus/chorus.db" "$T/out"
expect_status 0 as_chorus status

# Reinstalling keeps the operator's edit of the conffile, without a prompt.
echo "; edited by the operator" >>/etc/chorus/chorus.ini
dpkg -i "$deb" </dev/null >"$T/dpkg.log" 2>&1 || { cat "$T/dpkg.log"; fail "reinstall failed"; }
expect_grep "^; edited by the operator$" /etc/chorus/chorus.ini

# Remove keeps the settings and the data; purge removes both, keeps the user.
dpkg -r chorus </dev/null >"$T/dpkg.log" 2>&1 || { cat "$T/dpkg.log"; fail "dpkg -r failed"; }
[ ! -e /usr/bin/chorus ] || fail "dpkg -r left /usr/bin/chorus"
[ -f /etc/chorus/chorus.ini ] || fail "dpkg -r removed the conffile"
[ -f /var/lib/chorus/chorus.db ] || fail "dpkg -r removed the database"
dpkg --purge chorus </dev/null >"$T/dpkg.log" 2>&1 || { cat "$T/dpkg.log"; fail "dpkg --purge failed"; }
installed=no
[ -z "$(pkg_status)" ] || fail "chorus is still known to dpkg: $(pkg_status)"
for p in /usr/bin/chorus /etc/chorus /var/lib/chorus /usr/share/chorus \
    /usr/share/doc/chorus /usr/share/man/man1/chorus.1.gz \
    /usr/share/man/man5/chorus.ini.5.gz /usr/lib/sysusers.d/chorus.conf \
    /usr/lib/tmpfiles.d/chorus.conf \
    /lib/systemd/system/chorus-redirector.service \
    /lib/systemd/system/chorus-scheduler.service; do
	[ ! -e $p ] || fail "purge left $p"
done
getent passwd chorus >/dev/null || fail "purge removed the chorus user"
echo "deb: all checks passed ($(basename "$deb"))"
