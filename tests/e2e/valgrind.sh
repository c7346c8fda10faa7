# An end-to-end subset under valgrind: no invalid access, no leak. Runs
# only on the optimised build (valgrind and ASan do not mix).
. "$CHORUS_SRC/tests/e2e/lib.sh"
case $CHORUS in */asan/*) echo "valgrind: skipped in the sanitizer build"; exit 0 ;; esac
command -v valgrind >/dev/null || { echo "valgrind: not installed; skipped"; exit 0; }
DB="$T/chorus.db"
vg() {
	valgrind -q --error-exitcode=99 --leak-check=full \
	    --errors-for-leak-kinds=definite,indirect \
	    "$CHORUS" --db "$DB" "$@"
}
expect_status 0 vg init
expect_status 0 vg import employees "$CHORUS_SRC/examples/employees.csv"
expect_status 0 vg import posts "$CHORUS_SRC/examples/posts.csv"
expect_status 0 vg import employees --prune "$CHORUS_SRC/examples/employees.csv"
expect_status 65 vg import employees "$DATA/import/many_errors.csv"
expect_status 65 vg import employees "$DATA/import/bad_quote.csv"
expect_status 0 vg status
expect_status 0 vg config
expect_status 64 vg import
expect_status 0 vg backup "$T/b.db"
echo "valgrind: clean"
