#!/usr/bin/env python3
"""Compares the schema of an SQLite Chorus database with a PostgreSQL one.

Usage: schema_compare.py SQLITE_DB POSTGRESQL_URI [SRC]

Store against store: tables and views, each table's columns (name, type
class, NOT NULL, whether it has a default), primary keys, unique
constraints, foreign keys, CHECK constraints (by the columns they name and
the literals they test), indexes and triggers. Prints every difference and
exits 1 if there is one, 0 if none. SRC (default: the current directory) is
the source tree, to name the PostgreSQL migration missing for an SQLite
one. psql is $PSQL, or psql on the PATH. Standard library only.
"""

import glob
import os
import re
import sqlite3
import subprocess
import sys

# Type classes, from SQLite's affinity rules and PostgreSQL's type names.
PG_CLASS = {
    'bigint': 'integer', 'integer': 'integer', 'smallint': 'integer',
    'text': 'text', 'citext': 'text', 'character varying': 'text',
    'real': 'real', 'double precision': 'real', 'numeric': 'real',
    'bytea': 'blob',
}

TOKEN = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|[A-Za-z_][A-Za-z0-9_]*"
                   r"|\d+(?:\.\d+)?|\S")


def sqlite_class(decl):
    t = decl.upper()
    if 'INT' in t:
        return 'integer'
    if 'CHAR' in t or 'CLOB' in t or 'TEXT' in t:
        return 'text'
    if t == '' or 'BLOB' in t:
        return 'blob'
    if 'REAL' in t or 'FLOA' in t or 'DOUB' in t:
        return 'real'
    return 'numeric'


def check_signature(expr, columns):
    """The columns a CHECK names and the literals it tests, sorted: the
    same rule reads the same however each store spells it (IN or OR,
    BETWEEN or <= AND >=, PostgreSQL's casts and parentheses)."""
    cols, strs, nums = set(), set(), set()
    for tok in TOKEN.findall(expr):
        if tok.startswith("'"):
            strs.add(tok[1:-1].replace("''", "'"))
        elif tok.startswith('"'):
            name = tok[1:-1].replace('""', '"')
            if name in columns:
                cols.add(name)
        elif tok[0].isdigit():
            nums.add(tok)
        elif tok in columns:
            cols.add(tok)
    return '(%s) %s %s' % (', '.join(sorted(cols)),
                           sorted(strs) if strs else '',
                           sorted(nums) if nums else '')


def sqlite_checks(sql):
    """The body of every CHECK (...) in a CREATE TABLE statement."""
    out = []
    toks = TOKEN.findall(sql)
    i = 0
    while i < len(toks):
        if toks[i].upper() == 'CHECK' and i + 1 < len(toks) and \
                toks[i + 1] == '(':
            depth, j = 0, i + 1
            while j < len(toks):
                if toks[j] == '(':
                    depth += 1
                elif toks[j] == ')':
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            out.append(' '.join(toks[i + 2:j]))
            i = j
        i += 1
    return out


def rowid_default(cols, pk):
    """An SQLite INTEGER PRIMARY KEY is the rowid, assigned when left out
    whether the table means it to be (ids) or not (report_state's 1, a
    day): its default is not compared, on either side."""
    if len(pk) == 1 and cols[pk[0]]['class'] == 'integer':
        cols[pk[0]]['default'] = 'integer primary key'


def read_sqlite(path):
    db = sqlite3.connect('file:%s?mode=ro' % path, uri=True)
    s = {'tables': {}, 'views': {}, 'triggers': {}}
    rows = db.execute("SELECT type, name, tbl_name, sql FROM sqlite_schema "
                      "WHERE name NOT LIKE 'sqlite_%' ORDER BY name").fetchall()
    for typ, name, tbl, sql in rows:
        if typ == 'view':
            s['views'][name] = [r[1] for r in
                                db.execute('PRAGMA table_info("%s")' % name)]
        elif typ == 'trigger':
            s['triggers'][name] = tbl
        elif typ == 'table':
            cols = {}
            pk = []
            for cid, cname, ctype, notnull, dflt, pkpos in db.execute(
                    'PRAGMA table_info("%s")' % name):
                cols[cname] = {'class': sqlite_class(ctype),
                               'notnull': bool(notnull or pkpos),
                               'default': dflt is not None}
                if pkpos:
                    pk.append((pkpos, cname))
            pk = tuple(c for _, c in sorted(pk))
            rowid_default(cols, pk)
            unique, indexes = set(), {}
            for _, iname, uniq, origin, _ in db.execute(
                    'PRAGMA index_list("%s")' % name):
                icols = tuple(r[2] for r in db.execute(
                    'PRAGMA index_info("%s")' % iname))
                if origin == 'u':
                    unique.add(icols)
                elif origin == 'c':
                    indexes[iname] = (icols, bool(uniq))
            fks = {}
            for r in db.execute('PRAGMA foreign_key_list("%s")' % name):
                fid, _, rtable, frm, to, _, on_delete = r[:7]
                f = fks.setdefault(fid, [rtable, [], [], on_delete.upper()])
                f[1].append(frm)
                f[2].append(to)
            fkset = set('(%s) -> %s(%s) ON DELETE %s' % (
                ', '.join(f[1]), f[0], ', '.join(f[2]), f[3])
                for f in fks.values())
            checks = sorted(check_signature(e, cols)
                            for e in sqlite_checks(sql))
            s['tables'][name] = {'columns': cols, 'pk': pk, 'unique': unique,
                                 'fks': fkset, 'checks': checks,
                                 'indexes': indexes}
    version = db.execute('PRAGMA user_version').fetchone()[0]
    db.close()
    return s, version


def psql(uri, sql):
    exe = os.environ.get('PSQL', 'psql')
    r = subprocess.run([exe, '-X', '-q', '-At', '-F', '\x1f',
                        '-v', 'ON_ERROR_STOP=1', '-d', uri, '-c', sql],
                       capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        sys.exit('schema_compare: psql: %s' % r.stderr.strip())
    return [line.split('\x1f') for line in r.stdout.splitlines()]


PG_ONDELETE = {'a': 'NO ACTION', 'r': 'RESTRICT', 'c': 'CASCADE',
               'n': 'SET NULL', 'd': 'SET DEFAULT'}


def read_pg(uri):
    s = {'tables': {}, 'views': {}, 'triggers': {}}
    for (name,) in psql(uri, "SELECT c.relname FROM pg_class c JOIN "
                        "pg_namespace n ON n.oid = c.relnamespace WHERE "
                        "n.nspname = current_schema() AND c.relkind = 'v'"):
        s['views'][name] = [r[0] for r in psql(
            uri, "SELECT attname FROM pg_attribute WHERE attrelid = "
            "'%s'::regclass AND attnum > 0 AND NOT attisdropped "
            "ORDER BY attnum" % name)]
    tables = [r[0] for r in psql(
        uri, "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON "
        "n.oid = c.relnamespace WHERE n.nspname = current_schema() AND "
        "c.relkind IN ('r', 'p')")]
    for name in tables:
        if name == 'schema_version':
            continue	# the migration runner's own table
        cols = {}
        for cname, ctype, notnull, hasdef, ident in psql(
                uri, "SELECT a.attname, format_type(a.atttypid, NULL), "
                "a.attnotnull, a.atthasdef, a.attidentity FROM pg_attribute a "
                "WHERE a.attrelid = '%s'::regclass AND a.attnum > 0 AND "
                "NOT a.attisdropped ORDER BY a.attnum" % name):
            cols[cname] = {'class': PG_CLASS.get(ctype, ctype),
                           'notnull': notnull == 't',
                           'default': hasdef == 't' or ident != ''}
        t = {'columns': cols, 'pk': (), 'unique': set(), 'fks': set(),
             'checks': [], 'indexes': {}}
        for contype, ccols, rtable, rcols, deltype, expr in psql(
                uri, "SELECT c.contype, "
                "(SELECT string_agg(a.attname, ',' ORDER BY k.i) FROM "
                " unnest(c.conkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a"
                " ON a.attrelid = c.conrelid AND a.attnum = k.n), "
                "coalesce(c.confrelid::regclass::text, ''), "
                "coalesce((SELECT string_agg(a.attname, ',' ORDER BY k.i) FROM"
                " unnest(c.confkey) WITH ORDINALITY k(n, i) JOIN pg_attribute"
                " a ON a.attrelid = c.confrelid AND a.attnum = k.n), ''), "
                "c.confdeltype, pg_get_constraintdef(c.oid) "
                "FROM pg_constraint c WHERE c.conrelid = '%s'::regclass"
                % name):
            ccols = tuple(ccols.split(',')) if ccols else ()
            if contype == 'p':
                t['pk'] = ccols
            elif contype == 'u':
                t['unique'].add(ccols)
            elif contype == 'f':
                t['fks'].add('(%s) -> %s(%s) ON DELETE %s' % (
                    ', '.join(ccols), rtable, rcols.replace(',', ', '),
                    PG_ONDELETE[deltype]))
            elif contype == 'c':
                t['checks'].append(check_signature(expr, cols))
        t['checks'].sort()
        for pk in t['pk']:
            cols[pk]['notnull'] = True
        rowid_default(cols, t['pk'])
        for iname, uniq, icols in psql(
                uri, "SELECT i.relname, x.indisunique, "
                "(SELECT string_agg(a.attname, ',' ORDER BY k.i) FROM "
                " unnest(x.indkey::int2[]) WITH ORDINALITY k(n, i) JOIN "
                " pg_attribute a ON a.attrelid = x.indrelid AND "
                " a.attnum = k.n) "
                "FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
                "WHERE x.indrelid = '%s'::regclass AND NOT EXISTS (SELECT 1 "
                "FROM pg_constraint c WHERE c.conindid = x.indexrelid AND "
                "c.conrelid = x.indrelid)" % name):
            t['indexes'][iname] = (tuple(icols.split(',')), uniq == 't')
        s['tables'][name] = t
    for name, tbl in psql(uri, "SELECT t.tgname, t.tgrelid::regclass::text "
                          "FROM pg_trigger t WHERE NOT t.tgisinternal"):
        s['triggers'][name] = tbl
    version = psql(uri, "SELECT coalesce(max(version), 0) FROM "
                   "schema_version") if 'schema_version' in tables else None
    return s, (int(version[0][0]) if version else None)


def compare(lite, pg):
    out = []

    def names(what, a, b):
        for n in sorted(set(a) - set(b)):
            out.append('%s%s: in SQLite, not in PostgreSQL' % (what, n))
        for n in sorted(set(b) - set(a)):
            out.append('%s%s: in PostgreSQL, not in SQLite' % (what, n))

    names('table ', lite['tables'], pg['tables'])
    names('view ', lite['views'], pg['views'])
    names('trigger ', lite['triggers'], pg['triggers'])
    for v in sorted(set(lite['views']) & set(pg['views'])):
        if lite['views'][v] != pg['views'][v]:
            out.append('view %s: columns %s in SQLite, %s in PostgreSQL' % (
                v, lite['views'][v], pg['views'][v]))
    for tr in sorted(set(lite['triggers']) & set(pg['triggers'])):
        if lite['triggers'][tr] != pg['triggers'][tr]:
            out.append('trigger %s: on %s in SQLite, on %s in PostgreSQL' % (
                tr, lite['triggers'][tr], pg['triggers'][tr]))
    for t in sorted(set(lite['tables']) & set(pg['tables'])):
        a, b = lite['tables'][t], pg['tables'][t]
        names('column %s.' % t, a['columns'], b['columns'])
        for c in a['columns']:
            if c not in b['columns']:
                continue
            for k in ('class', 'notnull', 'default'):
                if a['columns'][c][k] != b['columns'][c][k]:
                    out.append('column %s.%s: %s is %s in SQLite, %s in '
                               'PostgreSQL' % (t, c, k, a['columns'][c][k],
                                               b['columns'][c][k]))
        if a['pk'] != b['pk']:
            out.append('table %s: primary key (%s) in SQLite, (%s) in '
                       'PostgreSQL' % (t, ', '.join(a['pk']),
                                       ', '.join(b['pk'])))
        for what, key in (('unique', 'unique'), ('foreign key', 'fks')):
            for x in sorted(a[key] - b[key]):
                out.append('table %s: %s %s in SQLite, not in PostgreSQL' %
                           (t, what, x if isinstance(x, str)
                            else '(%s)' % ', '.join(x)))
            for x in sorted(b[key] - a[key]):
                out.append('table %s: %s %s in PostgreSQL, not in SQLite' %
                           (t, what, x if isinstance(x, str)
                            else '(%s)' % ', '.join(x)))
        if a['checks'] != b['checks']:
            out.append('table %s: CHECK constraints differ:\n    SQLite:     '
                       '%s\n    PostgreSQL: %s' % (
                           t, '\n                '.join(a['checks']) or '-',
                           '\n                '.join(b['checks']) or '-'))
        names('index %s.' % t, a['indexes'], b['indexes'])
        for i in sorted(set(a['indexes']) & set(b['indexes'])):
            if a['indexes'][i] != b['indexes'][i]:
                out.append('index %s: %s in SQLite, %s in PostgreSQL' % (
                    i, a['indexes'][i], b['indexes'][i]))
    return out


def missing_migrations(src):
    """SQLite migrations without a PostgreSQL one of the same number."""
    out = []
    pg = {os.path.basename(f)[:3]
          for f in glob.glob(os.path.join(src, 'db/migrations/pg/*.sql'))}
    for f in sorted(glob.glob(os.path.join(src, 'db/migrations/*.sql'))):
        n = os.path.basename(f)[:3]
        if n not in pg:
            out.append('db/migrations/pg/%s_*.sql missing: the PostgreSQL '
                       'version of db/migrations/%s' % (n, os.path.basename(f)))
    return out


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    src = sys.argv[3] if len(sys.argv) == 4 else '.'
    lite, lv = read_sqlite(sys.argv[1])
    pg, pv = read_pg(sys.argv[2])
    diffs = missing_migrations(src)
    if pv is not None and pv != lv:
        diffs.append('schema version %d in SQLite, %d in PostgreSQL' %
                     (lv, pv))
    diffs += compare(lite, pg)
    for d in diffs:
        print('schema: ' + d)
    if diffs:
        print('schema: %d difference(s) between the SQLite and PostgreSQL '
              'schemas' % len(diffs))
        return 1
    print('schema: SQLite and PostgreSQL agree: %d tables, %d views, '
          '%d triggers, at version %d' % (len(lite['tables']),
                                          len(lite['views']),
                                          len(lite['triggers']), lv))
    return 0


if __name__ == '__main__':
    sys.exit(main())
