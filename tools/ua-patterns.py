#!/usr/bin/env python3
"""
ua-patterns: generates redirector/classify_table.h, the bot rows of the
User-Agent table, from three public lists fetched from the npm registry at
pinned versions (and fuzz/classify.dict from the whole table), and (with
--testdata) the test lists of real crawler and browser User-Agents under
tests/data/.

  python3 tools/ua-patterns.py [--cache DIR] [--testdata] [--report]

Each list's regular expressions are turned into the matcher's pattern kinds
(sub, prefix, exact, word; lower case; 2 bytes or more) where that can be
done exactly: literals, escapes, alternations, optional parts, small
character classes, ^ and $ at the ends, \\b at the end. The few widenings
that are accepted are listed under WIDENINGS below. Anything else is either
translated by hand (HAND, with the reason) or dropped; the dropped ones are
printed and listed at the end of the generated file. DENY removes rows that
match real browsers or that the hand-written part of the table decides
otherwise, each with its reason.

The hand-written rows of redirector/classify.c (in-app browsers, previews,
the bot decisions) come first in the table and win; a generated row that
one of them already decides, or that a shorter generated row covers, is
left out.
"""
import argparse
import gzip
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The lists, pinned. Bump a version here, rerun, and read the diff.
CUA = ("crawler-user-agents", "1.60.0")     # monperrus, MIT
ISBOT = ("isbot", "5.2.4")                  # omrilotan, Unlicense
# matomo-org/device-detector's regexes/bots.yml, as shipped (converted to
# JavaScript, one object per entry) by its Node port:
MATOMO = ("node-device-detector", "2.2.7")  # port MIT; bots.yml LGPL-3.0
# Real browser User-Agents (Intoli's user-agents, BSD-2-Clause): five
# releases years apart, for the test list only.
BROWSERS = [("user-agents", v) for v in
            ("1.0.901", "1.0.1257", "1.1.270", "2.1.100", "2.1.198")]

SRC_FLAG = {"cua": "CUA", "isbot": "ISB", "matomo": "MAT"}
SRC_NAME = {"cua": "%s@%s" % CUA, "isbot": "%s@%s" % ISBOT,
            "matomo": "%s@%s" % MATOMO}

# Accepted widenings (the generated row matches a little more than the
# list's regular expression), said once here and in the generated file:
WIDENINGS = """\
- case: every row ignores ASCII case (crawler-user-agents' expressions are
  case-sensitive; isbot's and Matomo's are not);
- Matomo: its parser puts (?:^|[^A-Z0-9_-]|[^A-Z0-9-]+_) before each
  expression, a start-of-word rule the matcher has no kind for: the rows
  match anywhere;
- \\b at the end becomes "word" (not followed by a letter or digit), which
  also matches before "_"."""

# Hand translations: (list, expression) -> rows, with why. An expression
# that the lists change no longer matches its key and is reported dropped.
HAND = {
    ("cua", "AdsBot-Google([^-]|$)"): ([("adsbot-google", "sub")],
        "[^-] after it: adsbot-google-mobile is AdsBot too"),
    ("cua", "GoogleAssociationService$"): (
        [("googleassociationservice", "sub")], "$ dropped"),
    ("cua", "SSL Labs$"): ([("ssl labs", "sub")], "$ dropped"),
    ("cua", "BlogTraffic\\/\\d\\.\\d+ Feed-Fetcher"): (
        [("blogtraffic/", "sub")], "the product token alone"),
    ("cua", "ContextualBot[\\s\\S]*outcomes\\.net"): (
        [("contextualbot", "sub")], "the product token alone"),
    ("cua", "Current[\\s\\S]*RSS Reader"): ([("rss reader", "sub")],
        "the tail alone; Current is an English word"),
    ("isbot", "(?<! cu)bots?(?:\\b|_)"): (
        [("bot", "word"), ("bots", "word")],
        "word: \"bot\" not followed by a letter or digit; the phone maker "
        "Cubot is a hand-written human row"),
    ("isbot", "(?<!cam)scan"): ([("scan", "sub")],
        "the CamScanner app's browser is a hand-written human row"),
    ("isbot", "(?<!lib)http"): ([("http://", "sub"), ("https://", "sub")],
        "a URL (\"+http://...\"): \"http\" alone is in okhttp and "
        "Apache-HttpClient, which Android apps embed in browser strings"),
    ("isbot", "ptst[ /]\\d"): ([("ptst/", "sub"), ("ptst ", "sub")],
        "the digit dropped"),
    ("isbot", "^dispatch/\\d"): ([("dispatch/", "prefix")],
        "the digit dropped"),
    ("isbot", "^zdm/\\d"): ([("zdm/", "prefix")], "the digit dropped"),
    ("matomo", "Baidu.*spider|baidu Transcoder"): (
        [("baiduspider", "sub"), ("baidu transcoder", "sub"),
         ("baidu-yunguance", "sub")], ".* taken as nothing"),
    ("isbot", "\\bbw/"): ([("bw/", "prefix"), (" bw/", "sub")],
        "\\b as start or a space before"),
    ("isbot", "\\bdlc\\b"): ([(" dlc/", "sub")], "as a product token"),
    ("isbot", "\\btime/"): ([("time/", "prefix"), (" time/", "sub")],
        "\\b as start or a space before"),
    ("isbot", "\\bort/"): ([("ort/", "prefix"), (" ort/", "sub")],
        "\\b as start or a space before"),
    ("matomo", ".*Java.*outbrain"): ([("outbrain", "sub")],
        "the product name alone"),
    ("matomo", "Yahoo Ad monitoring.*yahoo-ad-monitoring-SLN24857"): (
        [("yahoo ad monitoring", "sub")], "the head alone"),
    ("matomo", "scan@aegis.network"): ([("scan@aegis.network", "sub")],
        "'.' taken as itself"),
    ("matomo", "^Spotify/[\\d.]+$"): ([("spotify/", "prefix")],
        "the version dropped"),
    ("matomo", ".+diffbot"): ([("diffbot", "sub")], "widened"),
    ("matomo", "Matomo/[\\d.]+"): ([("matomo/", "sub")], "version dropped"),
    ("matomo", "Octopus [\\d.]+"): ([("octopus ", "prefix")],
        "as prefix: an English word"),
    ("matomo", "Grafana/(\\d+\\.[.\\d]+)"): ([("grafana/", "sub")],
        "version dropped"),
    ("matomo", "xtate/(\\d+\\.[.\\d]+)"): ([("xtate/", "sub")],
        "version dropped"),
    ("matomo", "NewsBlur .*(?:Fetcher|Finder)"): ([("newsblur ", "sub")],
        "the product token alone"),
    ("matomo", "Overcast/.+Podcast Sync"): ([("overcast/", "sub")],
        "the product token alone"),
    ("matomo", "notifyninja.+monitoring"): ([("notifyninja", "sub")],
        "the product token alone"),
    ("matomo", "HubPages.*crawlingpolicy"): ([("crawlingpolicy", "sub")],
        "the tail alone"),
    ("matomo", "AdMantX.*admantx\\.com"): ([("admantx", "sub")],
        "the product token alone"),
    ("matomo", "WordPress.+isitwp\\.com"): ([("isitwp.com", "sub")],
        "the tail alone"),
    ("matomo", "YandexBot.+MirrorDetector"): ([("yandexbot", "sub")],
        "the product token alone"),
}

# isbot's expressions that are shapes, not words: classify.c has them by
# hand (shape_words() and the functions after it).
SHAPES = (
    "^[\\w \\.\\-\\(?:\\):%]+(?:/v?\\d+(?:\\.\\d+)?(?:\\.\\d{1,10})*?)?(?:,|$)",
    "^[\\w\\-]+/[\\w]+$",
    "^\\w+/[\\w\\(\\)]*$",
    "^\\w+/\\d\\.\\d\\s\\([\\w@]+\\)$",
    "^mozilla/\\d\\.\\d\\s[\\w\\.-]+$",
    "^mozilla/\\d\\.\\d\\s\\((?:compatible;)?(?:\\s?[\\w\\d-.]+[\\s/]\\d+"
    "\\.\\d+)?\\)$",
    "^\\d+\\b", "^\\w*search\\b", "^[<\\(;]",
    "^[^ ]{50,}$", "\\|", ";\\s\\w+;$", "@[a-z][\\w-]+\\.", "\\b\\w+/1\\.0;",
)

# The generic expression at the end of Matomo's list: its words, each "not
# followed by a letter" there; the lookbehinds that spare a few products
# are not kept (the hand-written rows decide those).
MATOMO_GENERIC_WORDS = (
    "analyzer", "appengine", "archiver", "archive", "checker", "collector",
    "crawl", "crawler", "indexer", "inspector", "lookup", "monitor",
    "probe", "resolver", "robots", "scanner", "scraper", "searcher",
    "spider", "transcoder", "uptime", "user agent", "user_agent",
    "useragent", "validator", "-ai/", "-extended/", "-user/", "fetcher",
    "grabber")

# Rows never generated, with the reason. Keys are the lower-case pattern.
DENY = {
    "ap3a.240617.008": "an Android build id: real phones send it",
    "fluid": "Fluid is a site-specific browser, used by people",
    "google": "isbot's rule spares Google's apps and phones by lookarounds "
              "the matcher has not; Google's fetchers have rows of their own",
    "news": "isbot spares Google News and others by lookarounds",
    "http": "okhttp and Apache-HttpClient sit inside real Android browser "
            "strings (isbot spares only \"libhttp\")",
    "java": "Java sits inside real Android browser strings; a hand row "
            "takes \"java/\" as the first token",
    "okhttp": "sits inside real Android browser strings; a hand row takes "
              "it as the first token",
    "dart": "a hand row takes \"dart/\" as the first token",
    "metaiab facebook": "Meta's in-app browser (IAB): people",
    "yeti": "an English word in app names; \"yeti/\" is kept",
    "current": "an English word",
}


def npm_fetch(name, version, cache):
    """Unpacks NAME@VERSION's tarball into CACHE/NAME-VERSION/package."""
    dest = os.path.join(cache, "%s-%s" % (name, version))
    pkg = os.path.join(dest, "package")
    if os.path.isdir(pkg):
        return pkg
    os.makedirs(dest, exist_ok=True)
    out = subprocess.run(["npm", "pack", "--silent", "%s@%s" % (name,
                         version), "--pack-destination", dest],
                         check=True, capture_output=True, text=True)
    tgz = os.path.join(dest, out.stdout.strip().splitlines()[-1])
    with tarfile.open(tgz) as t:
        t.extractall(dest, filter="data")
    return pkg


def load_cua(cache):
    with open(os.path.join(npm_fetch(*CUA, cache),
                           "crawler-user-agents.json")) as f:
        return json.load(f)


def load_isbot(cache):
    with open(os.path.join(npm_fetch(*ISBOT, cache), "index.js")) as f:
        text = f.read()
    m = re.search(r"var patterns_default = (\[.*?\n\]);", text, re.S)
    return json.loads(m.group(1))


def load_matomo(cache):
    with open(os.path.join(npm_fetch(*MATOMO, cache),
                           "regexes", "bots.js")) as f:
        text = f.read()
    return json.loads(text[text.index("["):text.rindex("]") + 1])


class Unsupported(Exception):
    pass


# A tiny parser for the regular expressions that are finite sets of
# literals. An alternative is (text, anchored at start, at end, word end).
def alternatives(rx, limit=64):
    pos = 0

    def parse_alt():
        nonlocal pos
        seqs = [parse_seq()]
        while pos < len(rx) and rx[pos] == "|":
            pos += 1
            seqs.append(parse_seq())
        out = []
        for s in seqs:
            out.extend(s)
        return out

    def parse_seq():
        # each partial: (text, start, end, word)
        nonlocal pos
        cur = [("", False, False, False)]
        while pos < len(rx) and rx[pos] not in "|)":
            atom = parse_atom()
            if pos < len(rx) and rx[pos] == "?":
                pos += 1
                atom = atom + [("", False, False, False)]
            if pos < len(rx) and rx[pos] in "*+{":
                raise Unsupported("repetition")
            nxt = []
            for a in cur:
                for b in atom:
                    if a[2] or a[3]:
                        if b[0] or b[1]:
                            raise Unsupported("text after $ or \\b")
                    if b[1] and (a[0] or a[1]):
                        raise Unsupported("^ inside")
                    nxt.append((a[0] + b[0], a[1] or b[1], a[2] or b[2],
                                a[3] or b[3]))
            cur = list(dict.fromkeys(nxt))
            if len(cur) > limit:
                raise Unsupported("too many alternatives")
        return cur

    def parse_atom():
        nonlocal pos
        c = rx[pos]
        if c == "(":
            pos += 1
            if rx.startswith("?:", pos):
                pos += 2
            elif rx.startswith("?", pos):
                raise Unsupported("lookaround")
            inner = parse_alt()
            if pos >= len(rx) or rx[pos] != ")":
                raise Unsupported("unbalanced")
            pos += 1
            return inner
        if c == "[":
            end = rx.find("]", pos + 1)
            body = rx[pos + 1:end]
            if end < 0 or body.startswith("^") or "\\" in body or \
                    re.search(r".-.", body):
                raise Unsupported("character class")
            pos = end + 1
            return [(ch.lower(), False, False, False)
                    for ch in dict.fromkeys(body.lower())]
        if c == "^":
            pos += 1
            return [("", True, False, False)]
        if c == "$":
            pos += 1
            return [("", False, True, False)]
        if c == "\\":
            e = rx[pos + 1]
            pos += 2
            if e == "b":
                return [("", False, False, True)]
            if e.isalnum():
                raise Unsupported("\\" + e)
            return [(e.lower(), False, False, False)]
        if c in ".*+?{}":
            raise Unsupported("'" + c + "'")
        pos += 1
        return [(c.lower(), False, False, False)]

    # Leading or trailing .* in an unanchored search change nothing.
    if rx.startswith(".*"):
        rx = rx[2:]
    if rx.endswith(".*") and not rx.endswith("\\.*"):
        rx = rx[:-2]
    alts = parse_alt()
    if pos != len(rx):
        raise Unsupported("unbalanced")
    return alts


def split_top(rx):
    """The top-level alternatives of an expression."""
    parts, depth, cls, cur, i = [], 0, False, "", 0
    while i < len(rx):
        c = rx[i]
        if c == "\\":
            cur += rx[i:i + 2]
            i += 2
            continue
        if cls:
            cls = c != "]"
        elif c == "[":
            cls = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(cur)
            cur = ""
            i += 1
            continue
        cur += c
        i += 1
    return parts + [cur]


def to_rows(rx):
    """Rows (pattern, kind) for an expression, or raises Unsupported."""
    rows = []
    # A leading [...]* or .* in an unanchored search changes nothing.
    rx = re.sub(r"^(?:\[[^\]]*\]|\.)\*", "", rx)
    for text, start, end, word in alternatives(rx):
        if word and (start or end):
            raise Unsupported("\\b with an anchor")
        if end and not start:
            raise Unsupported("$ alone")
        if word:
            if not text[-1:].isalnum():
                raise Unsupported("\\b after a non-word byte")
            kind = "word"
        elif start and end:
            kind = "exact"
        elif start:
            kind = "prefix"
        else:
            kind = "sub"
        if start and text[:1] in (" ", "\t"):
            raise Unsupported("blank after ^ (the matcher trims it)")
        if len(text.strip()) < 2:
            raise Unsupported("too short")
        rows.append((text, kind))
    return rows


# The hand-written rows of classify.c: (pattern, kind, class).
KIND_OF = {"MATCH_SUB": "sub", "MATCH_PREFIX": "prefix",
           "MATCH_EXACT": "exact", "MATCH_WORD": "word"}


def hand_rows():
    with open(os.path.join(ROOT, "redirector", "classify.c")) as f:
        text = f.read()
    rows = []
    for m in re.finditer(r'^\t\{ "((?:[^"\\]|\\.)*)", (MATCH_\w+), ([HBP]),',
                         text, re.M):
        pat = m.group(1).encode().decode("unicode_escape")
        rows.append((pat, KIND_OF[m.group(2)], m.group(3)))
    return rows


def is_alnum(c):
    return c.isascii() and (c.isalpha() or c.isdigit())


def covers(a, b):
    """Does row a match every User-Agent that row b matches?"""
    pa, ka = a
    pb, kb = b
    if ka == "sub":
        return pa in pb
    if ka == "word":
        i = pb.find(pa)
        while i >= 0:
            j = i + len(pa)
            if j < len(pb) and not is_alnum(pb[j]):
                return True
            if j == len(pb) and kb in ("word", "exact"):
                return True
            i = pb.find(pa, i + 1)
        return False
    if ka == "prefix":
        return kb in ("prefix", "exact") and pb.startswith(pa)
    return kb == "exact" and pa == pb


def c_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def c_comment(s):
    s = s.replace("*/", "*\\/").replace("/*", "/\\*")
    return s if len(s) <= 60 else s[:57] + "..."


def generate(cache, report, only=None, path=None):
    lists = {"cua": [x["pattern"] for x in load_cua(cache)],
             "isbot": load_isbot(cache),
             "matomo": [x["regex"] for x in load_matomo(cache)]}
    if only:
        lists = {k: v for k, v in lists.items() if k in only}
    rows = {}        # (pattern, kind) -> {src: first expression}
    dropped = []     # (src, expression, why)
    denied = []
    shaped = []
    hand_used = set()

    def add(src, rx, pat, kind):
        if pat in DENY:
            denied.append((src, rx, pat))
            return
        rows.setdefault((pat, kind), {}).setdefault(src, rx)

    for src, exprs in lists.items():
        for rx in exprs:
            if (src, rx) in HAND:
                hand_used.add((src, rx))
                for pat, kind in HAND[(src, rx)][0]:
                    add(src, rx, pat, kind)
                continue
            if src == "isbot" and rx in SHAPES:
                shaped.append(rx)
                continue
            if src == "matomo" and rx.startswith("[a-z0-9_-]*(?:"):
                for w in MATOMO_GENERIC_WORDS:
                    add(src, "(generic) " + w, w, "sub" if not w[-1:]
                        .isalnum() else "word")
                continue
            # Each top-level alternative alone: the union is the same.
            parts = split_top(rx)
            for part in parts:
                try:
                    for pat, kind in to_rows(part):
                        add(src, rx, pat, kind)
                except Unsupported as e:
                    dropped.append((src, part if len(parts) == 1 else
                                    "%s (in %s)" % (part, rx[:40] + "..."),
                                    str(e)))
    for key in HAND:
        if key not in hand_used and key[0] in lists:
            dropped.append((key[0], key[1], "hand translation of an "
                            "expression no longer in the list"))

    hand = hand_rows()
    decided_by_hand = []
    kept = []
    for (pat, kind), srcs in sorted(rows.items()):
        # A hand-written row on the same name is a decision about it (a
        # preview only at the start, say): it wins whatever the kinds.
        by = next((h for h in hand if h[0] == pat or
                   covers((h[0], h[1]), (pat, kind))), None)
        if by is not None:
            decided_by_hand.append((pat, kind, by))
            continue
        kept.append((pat, kind, srcs))
    # Leave out rows that a shorter generated row covers.
    order = {"sub": 0, "word": 1, "prefix": 2, "exact": 3}
    kept.sort(key=lambda r: (len(r[0]), r[0], order[r[1]]))
    final, covered = [], []
    for pat, kind, srcs in kept:
        by = next((f for f in final if covers((f[0], f[1]), (pat, kind))),
                  None)
        if by is not None:
            for s, rx in srcs.items():
                by[2].setdefault(s, rx)
            covered.append((pat, kind, by[0]))
            continue
        final.append((pat, kind, dict(srcs)))
    final.sort(key=lambda r: (r[0], r[1]))

    out = []
    out.append("/*")
    out.append(" * classify_table.h: the generated bot rows of the "
               "User-Agent table, included")
    out.append(" * by redirector/classify.c after its hand-written rows "
               "(which win). Do not")
    out.append(" * edit: change tools/ua-patterns.py and run")
    out.append(" *     python3 tools/ua-patterns.py")
    out.append(" * Sources (npm, pinned in the script): CUA = %s"
               % SRC_NAME["cua"])
    out.append(" * (monperrus/crawler-user-agents), ISB = %s "
               "(omrilotan/isbot), MAT ="
               % SRC_NAME["isbot"])
    out.append(" * %s (matomo-org/device-detector's bots.yml). "
               "Each row's comment" % SRC_NAME["matomo"])
    out.append(" * quotes the first expression it came from. Widenings:")
    for line in WIDENINGS.splitlines():
        out.append(" * " + line)
    out.append(" * %d of isbot's expressions are shapes that classify.c "
               "has by hand." % len(shaped))
    out.append(" * %d rows; %d expressions dropped (listed at the end), "
               "%d rows decided by a"
               % (len(final), len(dropped), len(decided_by_hand)))
    out.append(" * hand-written row, %d covered by a shorter row, %d "
               "denied (see DENY)."
               % (len(covered), len(denied)))
    out.append(" */")
    kinds = {"sub": "MATCH_SUB", "prefix": "MATCH_PREFIX",
             "exact": "MATCH_EXACT", "word": "MATCH_WORD"}
    for pat, kind, srcs in final:
        flags = " | ".join(SRC_FLAG[s] for s in ("cua", "isbot", "matomo")
                           if s in srcs)
        first = next(s for s in ("cua", "isbot", "matomo") if s in srcs)
        out.append("\t{ %s, %s, B, %s },\t/* %s */" % (
            c_string(pat), kinds[kind], flags, c_comment(srcs[first])))
    out.append("")
    out.append("/*")
    out.append(" * Dropped: no exact translation, and none by hand.")
    for src, rx, why in sorted(dropped):
        out.append(" *   %s %s (%s)" % (SRC_FLAG[src], c_comment(rx), why))
    out.append(" */")
    path = path or os.path.join(ROOT, "redirector", "classify_table.h")
    with open(path + ".tmp", "w") as f:
        f.write("\n".join(out) + "\n")
    os.replace(path + ".tmp", path)
    print("ua-patterns: %d rows written to %s" % (len(final), path))
    if path.startswith(ROOT):
        write_dict(hand, final)
    missing = [rx for rx in SHAPES if rx not in shaped and "isbot" in lists]
    for rx in missing:
        print("ua-patterns: shape no longer in isbot: %r" % rx)
    print("ua-patterns: %d dropped, %d decided by hand rows, %d covered, "
          "%d denied" % (len(dropped), len(decided_by_hand), len(covered),
                         len(denied)))
    for src, rx, why in sorted(dropped):
        print("  dropped %s %r: %s" % (src, rx, why))
    if report:
        for pat, kind, by in decided_by_hand:
            print("  hand %r %s decided by %r" % (pat, kind, by))
        for pat, kind, by in covered:
            print("  covered %r %s by %r" % (pat, kind, by))
        for src, rx, pat in denied:
            print("  denied %s %r (%s)" % (src, pat, rx))


def write_dict(hand, final):
    """fuzz/classify.dict: every row's text, for libFuzzer."""
    pats = list(dict.fromkeys([h[0] for h in hand] + [f[0] for f in final]))
    with open(os.path.join(ROOT, "fuzz", "classify.dict"), "w") as f:
        f.write("# Tokens of the User-Agent table (redirector/classify.c and "
                "classify_table.h),\n# for libFuzzer. Written by "
                "tools/ua-patterns.py; do not edit.\n")
        for i, pat in enumerate(pats):
            esc = "".join(c if 32 <= ord(c) < 127 and c not in '"\\'
                          else "\\x%02x" % ord(c) for c in pat)
            f.write('p%d="%s"\n' % (i, esc))
        f.write('m="Mozilla/5.0 (compatible; "\n')


# Crawler instances left out of the test list, with the reason.
CRAWLER_EXCLUDED = {
    "AP3A\\.240617\\.008": "the entry's pattern is an Android build id and "
    "its instance an Instagram in-app browser string: what a person's phone "
    "sends too",
    "Fluid": "Fluid is a site-specific browser for the Mac, which people "
    "use: a browser, not a crawler",
}


def load_browsers(cache):
    """(version, User-Agent) of every release in BROWSERS, first seen."""
    seen = {}
    for name, version in BROWSERS:
        pkg = npm_fetch(name, version, cache)
        for rel in ("dist/user-agents.json", "src/user-agents.json.gz"):
            path = os.path.join(pkg, rel)
            if os.path.exists(path):
                break
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rt") as f:
            for x in json.load(f):
                seen.setdefault(x["userAgent"], version)
    return seen


def clean(ua):
    return ua.replace("\t", " ").replace("\r", " ").replace("\n", " ")


def write_testdata(cache):
    crawlers, left_out = [], []
    for x in load_cua(cache):
        for ua in x["instances"]:
            if x["pattern"] in CRAWLER_EXCLUDED:
                left_out.append((x["pattern"], ua))
            else:
                crawlers.append((x["pattern"], clean(ua)))
    crawlers = list({ua: (pat, ua) for pat, ua in reversed(crawlers)}
                    .values())[::-1]
    in_cua = {ua for _, ua in crawlers} | {ua for _, ua in left_out}
    browsers, dup = [], []
    for ua, version in load_browsers(cache).items():
        (dup if ua in in_cua else browsers).append((version, clean(ua)))
    browsers.sort(key=lambda b: ([int(n) for n in b[0].split(".")], b[1]))

    path = os.path.join(ROOT, "tests", "data", "useragents-crawlers.tsv")
    with open(path, "w") as f:
        f.write("# Real crawler User-Agents: the `instances` of every entry of "
                "the npm package\n# %s (monperrus/crawler-user-agents, MIT), "
                "one per line after the\n# entry's pattern and a tab. "
                "Written by tools/ua-patterns.py --testdata;\n# do not edit. "
                "tests/test_classify.c wants 97%% of them bot or preview.\n"
                % SRC_NAME["cua"])
        f.write("# Left out (%d strings), with the reason:\n" % len(left_out))
        for pat, why in CRAWLER_EXCLUDED.items():
            f.write("#   %s: %s\n" % (pat, why))
        for pat, ua in crawlers:
            f.write("%s\t%s\n" % (pat, ua))
    path = os.path.join(ROOT, "tests", "data", "useragents-browsers.tsv")
    with open(path, "w") as f:
        f.write("# Real browser User-Agents: every distinct `userAgent` of the "
                "npm package\n# user-agents (Intoli, BSD-2-Clause; collected "
                "from real visits) at %s,\n# after the release it was first "
                "seen in and a tab. Written by\n# tools/ua-patterns.py "
                "--testdata; do not edit. tests/test_classify.c wants\n# 99%% "
                "of them human.\n" % ", ".join(v for _, v in BROWSERS))
        f.write("# Left out (%d strings): those that crawler-user-agents lists "
                "as a crawler's\n# instance:\n" % len(dup))
        for version, ua in sorted(dup):
            f.write("#   %s\n" % ua)
        for version, ua in browsers:
            f.write("%s\t%s\n" % (version, ua))
    print("ua-patterns: %d crawlers (%d left out), %d browsers (%d left out)"
          % (len(crawlers), len(left_out), len(browsers), len(dup)))


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", help="directory for the npm tarballs "
                    "(default: a temporary one)")
    ap.add_argument("--testdata", action="store_true",
                    help="also write the test lists in tests/data/")
    ap.add_argument("--only", help="comma-separated lists to use (cua, "
                    "isbot, matomo), to measure one list against another")
    ap.add_argument("--out", help="write the table there instead")
    ap.add_argument("--report", action="store_true",
                    help="also list the rows left out and why")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cache = args.cache or tmp
        generate(cache, args.report,
                 args.only.split(",") if args.only else None, args.out)
        if args.testdata:
            write_testdata(cache)
