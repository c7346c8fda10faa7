#!/usr/bin/env python3
"""Prints digests (.eml files, or a preview on stdin with -) in a form
that two stores' runs on the same inputs give alike: the parts decoded,
the Message-ID's random part and the MIME boundary left out, and each
link code (random) replaced by its order of first appearance in its
message, so that a code used twice still reads the same twice."""
import email
import email.policy
import os
import re
import sys

# Links on the base URL's host (chorus.base_url, the default's unless
# CHORUS_CHORUS_BASE_URL says), with or without the scheme.
HOST = re.sub(r"^https?://", "", os.environ.get("CHORUS_CHORUS_BASE_URL",
              "http://127.0.0.1:8080")).rstrip("/")
CODE = re.compile("(" + re.escape(HOST) + r"/(?:[a-z]/)?)([A-Za-z0-9]{12})\b")
MSGID = re.compile(r"<[A-Za-z0-9]{16,}@")


def norm_text(text):
    seen = {}

    def code(m):
        c = seen.setdefault(m.group(2), "CODE%d" % (len(seen) + 1))
        return m.group(1) + c
    text = CODE.sub(code, text)
    return MSGID.sub("<MSGID@", text)


def norm_message(raw):
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    out = []
    for k, v in msg.items():
        if k.lower() in ("content-type",) and msg.is_multipart():
            continue
        out.append("%s: %s" % (k, v))
    for part in msg.walk():
        if part.is_multipart():
            continue
        out.append("--- %s" % part.get_content_type())
        out.append(part.get_content())
    return norm_text("\n".join(out))


def main():
    for name in sys.argv[1:]:
        if name == "-":
            print(norm_text(sys.stdin.read()))
            continue
        with open(name, "rb") as f:
            print("=== message")
            print(norm_message(f.read()))


main()
