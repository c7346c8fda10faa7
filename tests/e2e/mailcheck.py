#!/usr/bin/env python3
"""Checks digests against the database they came from, parsing each with
Python's email package (policy=default), for the header-injection test.

  mailcheck.py DB FILE...

DB is an SQLite file or a postgresql:// URI (read with $PSQL).

Every message must have exactly the expected header fields, each once;
exactly one recipient, an employee of DB, whose display name decodes to
the name imported (or is absent when the name is empty); no recipient
twice among FILEs; no parse defects; only 7-bit lines of at most 998
octets; and no imported text carrying '<' or '&' may appear unescaped in
an HTML part. Prints 'checked N messages, N recipients' or the first
problem, and exits 1 on a problem.
"""
import base64
import csv
import email
import email.policy
import io
import os
import re
import sqlite3
import subprocess
import sys

HEADERS = ['auto-submitted', 'content-type', 'date', 'from',
           'list-unsubscribe', 'list-unsubscribe-post', 'message-id',
           'mime-version', 'subject', 'to', 'x-auto-response-suppress']


EW = re.compile(r'=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=')


def phrase_per_rfc2047(raw):
    """The display name of a To value made only of encoded-words, with the
    white space between adjacent encoded-words dropped (RFC 2047 6.2).
    CPython gh-128110 (fixed upstream in 2025, not in Debian 12's Python)
    keeps that white space; tests/mime_roundtrip.py does the same."""
    phrase = raw[:raw.rindex('<')].strip()
    if EW.sub('', phrase).strip() != '':
        return None
    return b''.join(base64.b64decode(w)
                    for w in EW.findall(phrase)).decode('utf-8')


def fail(path, why):
    print('mailcheck: %s: %s' % (path, why))
    sys.exit(1)


def query(db, sql):
    """The rows of sql on db, a file (SQLite) or a URI (PostgreSQL); a
    NULL reads as '' from PostgreSQL."""
    if not db.startswith(('postgresql://', 'postgres://')):
        return sqlite3.connect(db).execute(sql).fetchall()
    out = subprocess.run([os.environ.get('PSQL', 'psql'), '-X', '-q', '-t',
                          '--csv', '-v', 'ON_ERROR_STOP=1', db, '-c', sql],
                         check=True, capture_output=True, text=True).stdout
    return list(csv.reader(io.StringIO(out)))


def main():
    db = sys.argv[1]
    names = {e.lower(): n or '' for e, n in
             query(db, 'SELECT email, name FROM employees')}
    hostile = set()
    for row in query(db, 'SELECT title, summary, text, text_linkedin, '
                     'text_x, text_facebook FROM posts'):
        hostile.update(v for v in row if v and ('<' in v or '&' in v))
    hostile.update(n for n in names.values() if '<' in n or '&' in n)
    seen = set()
    for path in sys.argv[2:]:
        raw = open(path, 'rb').read()
        if not raw:
            fail(path, 'empty')
        for i, line in enumerate(raw.split(b'\n')):
            if len(line.rstrip(b'\r')) > 998:
                fail(path, 'line %d longer than 998 octets' % (i + 1))
            if any(b > 127 for b in line):
                fail(path, 'line %d is not 7-bit' % (i + 1))
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        keys = sorted(k.lower() for k in msg.keys())
        if keys != HEADERS:
            fail(path, 'header fields %s, want %s' % (keys, HEADERS))
        if msg.defects:
            fail(path, 'defects %s' % msg.defects)
        if (msg['Auto-Submitted'] != 'auto-generated' or
                msg['X-Auto-Response-Suppress'] != 'All'):
            fail(path, 'automatic replies invited: %r, %r' % (
                msg['Auto-Submitted'], msg['X-Auto-Response-Suppress']))
        for k in msg.keys():
            h = msg[k]
            if getattr(h, 'defects', None):
                fail(path, '%s: defects %s' % (k, h.defects))
            if '\r' in str(h) or '\n' in str(h):
                fail(path, '%s: a line break survives decoding' % k)
        to = msg['To'].addresses
        if len(to) != 1:
            fail(path, '%d recipients in To: %r' % (len(to), msg['To']))
        addr = to[0].addr_spec.lower()
        if addr not in names:
            fail(path, 'recipient %r is not an employee' % addr)
        if addr in seen:
            fail(path, 'recipient %r twice' % addr)
        seen.add(addr)
        if to[0].display_name != names[addr]:
            raw_to = [v for k, v in msg.raw_items() if k == 'To'][0]
            fixed = phrase_per_rfc2047(re.sub(r'\r?\n', '', raw_to))
            if fixed != names[addr]:
                fail(path, 'display name %r, imported %r' %
                     (to[0].display_name, names[addr]))
        if len(msg['From'].addresses) != 1:
            fail(path, 'From has %d addresses' % len(msg['From'].addresses))
        if not msg.is_multipart() or \
                msg.get_content_type() != 'multipart/alternative':
            fail(path, 'not multipart/alternative')
        types = []
        for part in msg.iter_parts():
            types.append(part.get_content_type())
            if part.defects:
                fail(path, 'part defects %s' % part.defects)
            body = part.get_content()
            if part.get_content_type() == 'text/html':
                for v in hostile:
                    if v in body:
                        fail(path, 'unescaped in HTML: %r' % v[:60])
        if types != ['text/plain', 'text/html']:
            fail(path, 'parts %s' % types)
    print('checked %d messages, %d recipients' % (len(sys.argv) - 2,
                                                   len(seen)))


if __name__ == '__main__':
    main()
