# The reports of names, roles and titles that would run as formulas in a
# spreadsheet splitting on ';' or ',' (issue 16): every piece that could
# become a cell of its own starts with ' before =, +, - or @, and values
# without such a piece are written as they are.
. "${CHORUS_SRC:?not set: the source tree}/tests/e2e/lib.sh"
c() { "$CHORUS" --db "$DB" "$@"; }

expect_status 0 c init
expect_status 0 c import employees "$DATA/import/formula_employees.csv"
expect_status 0 c import posts "$DATA/import/formula_posts.csv"

check() {
	c report "$1" > "$T/$1.csv"
	diff -u - "$T/$1.csv" || fail "report $1 differs"
}
check employees <<'END'
employee_email,employee_name,roles,digests_sent,shares,previews,clicks,unique_clicks
ada@example.com,Ada Lovelace,engineering;leadership,0,0,0,0,0
evie@example.com,Eve;'=1+1,0;'=4+5;eng,0,0,0,0,0
mal@example.com,"Mal, '=2+3",'-ops;'@a;sales,0,0,0,0,0
quinn@example.com,"Quinn;""'=3+4""",'+5;x,0,0,0,0,0
END
check posts <<'END'
post_id,post_title,suggested,shares,previews,clicks,unique_clicks,sharers,declined
F1,Launch;'@SUM(1),0,0,0,0,0,0,0
F2,"Q3, '-5% costs; '=HYPERLINK(""http://evil.example/"")",0,0,0,0,0,0,0
F3,"Plain, as it is; no formula",0,0,0,0,0,0,0
END
echo "report_formula: all checks passed"
