# The README's settings reference is generated from the settings table and
# must match it; every setting has a default that validates.
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/lib.sh"
cd "$CHORUS_SRC"
sh tools/sync-docs.sh --check "$CHORUS" || fail "README settings table drifted"
echo "docs: README settings reference is current"
