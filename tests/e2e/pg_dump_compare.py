#!/usr/bin/env python3
"""Every table of an SQLite Chorus database against a PostgreSQL one.

usage: pg_dump_compare.py compare SQLITE_DB PG_URI [SKIPPED_TABLE...]
       pg_dump_compare.py dump PG_URI           (the target, as text)

compare: the tables are the SQLite schema's (its own sqlite_* aside); each
is read in its column order from both stores, every value in one normal
form (integers, text, bytes as hex, NULL), the rows sorted, and the two
lists must be equal. A skipped table must be empty in PostgreSQL. The
PostgreSQL database may hold no other table but schema_version. Prints
one line per table and exits 1 at the first difference.

$PSQL is the psql binary.
"""
import json
import os
import sqlite3
import subprocess
import sys

PSQL = os.environ.get("PSQL", "psql")


def psql(uri, sql):
    out = subprocess.run([PSQL, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1",
                          uri, "-c", sql], check=True, capture_output=True,
                         text=True).stdout
    return [line for line in out.split("\n") if line != ""]


def norm(v):
    if isinstance(v, (bytes, bytearray)):
        return "\\x" + bytes(v).hex()
    return v


def pg_rows(uri, table, cols):
    # row_to_json: one line a row whatever the text holds; bytea as \x...
    sel = ", ".join('"%s"' % c for c in cols)
    lines = psql(uri, 'SELECT row_to_json(x)::text FROM (SELECT %s FROM "%s") x'
                 % (sel, table))
    rows = []
    for line in lines:
        d = json.loads(line)
        rows.append(tuple(d[c] for c in cols))
    return rows


def pg_tables(uri):
    return set(psql(uri, "SELECT tablename FROM pg_tables WHERE "
                    "schemaname = current_schema()"))


def compare(path, uri, skipped):
    db = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    tables = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND "
        "name NOT LIKE 'sqlite%' ORDER BY name")]
    extra = pg_tables(uri) - set(tables) - {"schema_version"}
    if extra:
        print("FAIL: tables only in PostgreSQL: %s" % sorted(extra))
        return 1
    for t in tables:
        cols = [r[1] for r in db.execute('PRAGMA table_info("%s")' % t)]
        got = sorted(pg_rows(uri, t, cols), key=repr)
        if t in skipped:
            if got:
                print("FAIL: %s: %d rows copied, want none" % (t, len(got)))
                return 1
            print("%s: not copied" % t)
            continue
        sel = ", ".join('"%s"' % c for c in cols)
        want = sorted((tuple(norm(v) for v in r) for r in
                       db.execute('SELECT %s FROM "%s"' % (sel, t))), key=repr)
        if got != want:
            print("FAIL: %s differs: %d rows in SQLite, %d in PostgreSQL"
                  % (t, len(want), len(got)))
            for a, b in zip(want, got):
                if a != b:
                    print("  sqlite:   %r\n  postgres: %r" % (a, b))
                    break
            return 1
        print("%s: %d rows equal" % (t, len(want)))
    return 0


def dump(uri):
    for t in sorted(pg_tables(uri)):
        cols = psql(uri, "SELECT column_name FROM information_schema.columns "
                    "WHERE table_schema = current_schema() AND table_name = "
                    "'%s' ORDER BY ordinal_position" % t)
        for r in sorted(pg_rows(uri, t, cols), key=repr):
            print(t, json.dumps(r))
    return 0


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "compare":
        sys.exit(compare(sys.argv[2], sys.argv[3], set(sys.argv[4:])))
    if len(sys.argv) == 3 and sys.argv[1] == "dump":
        sys.exit(dump(sys.argv[2]))
    sys.exit(__doc__)
