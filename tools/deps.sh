#!/bin/sh
# Installs the Debian 12 packages Chorus needs that are missing.
# Usage: tools/deps.sh GROUP...   (groups: build test deb bench fuzz lint docs)
# As root it runs apt-get; otherwise it prints the exact command to run.
set -e

build="gcc make pkg-config libsqlite3-dev libesmtp-dev libmicrohttpd-dev
	uuid-dev libinih-dev libssl-dev libpq-dev tzdata"
test="libcmocka-dev sqlite3 curl postfix python3 clang libclang-rt-14-dev
	valgrind libreoffice-calc chromium chromium-driver prometheus npm
	build-essential debhelper dpkg-dev fakeroot lintian postgresql
	socat openssl"
deb="build-essential debhelper dpkg-dev fakeroot lintian"
bench="wrk nginx-light postfix sqlite3 python3 bc time"
fuzz="clang libclang-rt-14-dev"
lint="cppcheck clang-tidy clang-format-14 pkg-config perl python3"
docs="chromium fonts-noto-cjk fonts-noto-color-emoji"

want=""
for g in "$@"; do
	eval "want=\"\$want \$$g\""
done

missing=""
for p in $want; do
	case " $missing " in *" $p "*) continue ;; esac
	# npm comes with some builds of Node.js that conflict with Debian's
	# npm package: any npm on the PATH will do.
	[ "$p" != npm ] || ! command -v npm >/dev/null || continue
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "chorus: missing packages; run as root:" >&2
	echo "  apt-get install -y$missing" >&2
	exit 1
fi
echo "deps: installing$missing"
# Postfix is wanted only for its smtp-sink and smtp-source test tools: ask
# debconf for no mail configuration so nothing is set up or started.
echo "postfix postfix/main_mailer_type select No configuration" |
	debconf-set-selections
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
