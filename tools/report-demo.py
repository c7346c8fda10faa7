#!/usr/bin/env python3
"""Prints SQL for a month of made-up activity (40 employees, 8 posts), the
data behind docs/report.png:

    chorus --db demo.db init
    python3 tools/report-demo.py | sqlite3 demo.db
    chorus --db demo.db report html --out report.html
    chromium --headless=new --hide-scrollbars --window-size=1200,2290 \
        --screenshot=docs/report.png report.html

(fonts-noto-cjk and fonts-noto-color-emoji installed: tools/deps.sh docs).
"""
import random

random.seed(7)
FIRST = ["Ana", "Ben", "Chloé", "Dmitri", "Elif", "Fatima", "Gustavo", "Hana",
         "Ivan", "Jonas", "Keiko", "Lars", "María", "Noah", "Olga", "Pedro",
         "Quinn", "Rosa", "Sven", "Tomás", "Uma", "Viktor", "Wen", "Yuki",
         "Zoë", "Søren", "Amélie", "Björn", "Nia", "美咲"]
LAST = ["García", "Smith", "Müller", "Tanaka", "Novak", "Rossi", "Dubois",
        "Kowalski", "Jensen", "Silva", "Chen", "小林"]
ROLES = ["engineering", "sales", "marketing", "support", "leadership"]
POSTS = ["We're hiring engineers in Lisbon",
         "Q3 launch: sync is now 4x faster",
         "Customer story: how Acme cut costs 30%",
         "Engineering blog: scaling SQLite",
         "Webinar: the future of remote work",
         "New office in Tokyo 東京オフィス開設",
         "Sustainability report 2026",
         "Open-source release: chorus-csv"]
NETS = ["linkedin", "x", "facebook"]
BASE = 1793577600 - 29 * 86400     # 30 days up to 2026-11-02


def q(s):
    return "'" + s.replace("'", "''") + "'"


print("BEGIN;")
for i in range(1, 41):
    name = random.choice(FIRST) + " " + random.choice(LAST)
    print("INSERT INTO employees (id, email, name, unsub_token, pref_token, "
          "created_at, updated_at) VALUES (%d, 'user%d@example.com', %s, "
          "'u%d', 'p%d', 0, 0);" % (i, i, q(name), i, i))
    print("INSERT INTO employee_roles VALUES (%d, %s);" % (i, q(ROLES[i % 5])))
for i, t in enumerate(POSTS, 1):
    print("INSERT INTO posts (id, ext_id, title, url, created_at, updated_at) "
          "VALUES (%d, '2026-%02d', %s, 'https://example.com/%d', 0, 0);"
          % (i, i, q(t), i))
lid = 0
links = []
for e in range(1, 41):
    for p in range(1, 9):
        for nw in NETS:
            if random.random() < 0.25:
                lid += 1
                links.append((lid, e, p, nw))
                print("INSERT INTO links (id, code, employee_id, post_id, "
                      "network, created_at) VALUES (%d, 'c%d', %d, %d, '%s', "
                      "0);" % (lid, lid, e, p, nw))
lg = 0
for d in range(30):
    for e in range(1, 41):
        lg += 1
        st = random.choices(["sent", "skipped", "failed_temp"],
                            [0.8, 0.17, 0.03])[0]
        print("INSERT INTO ledger (id, employee_id, local_date, state, "
              "created_at, updated_at) VALUES (%d, %d, 'd%d', '%s', 0, %d);"
              % (lg, e, d, st, BASE + d * 86400 + 8 * 3600))
reach = {e: random.random() ** 2 for e in range(1, 41)}
hits = []
for (l, e, p, nw) in links:
    day0 = min(29, (p - 1) * 3 + random.randint(0, 6))
    ts0 = BASE + day0 * 86400 + 9 * 3600
    hits.append((ts0, l, "share", "human", 0, random.getrandbits(32)))
    if random.random() < 0.7:
        hits.append((ts0 + 60, l, "click", "preview", 0, 1))
    n = int(reach[e] * 60 * random.random() * (1.5 if nw == "linkedin" else 1))
    people = [random.getrandbits(32) for _ in range(max(1, int(n * 0.8)))]
    for _ in range(n):
        dd = day0 + min(int(random.expovariate(0.6)), 29 - day0)
        cls = random.choices(["human", "bot", "head", "preview"],
                             [0.8, 0.1, 0.04, 0.06])[0]
        hits.append((BASE + dd * 86400 + random.randint(0, 86399), l, "click",
                     cls, 0, random.choice(people)))
for (ts, l, kind, cls, rep, v) in sorted(hits):
    print("INSERT INTO hits (link_id, ts, kind, class, repeat, visitor) "
          "VALUES (%d, %d, '%s', '%s', %d, x'%08x');" % (l, ts, kind, cls, rep, v))
# Suggestions, in the digest of the day each post came out; then "not for
# me" and the employees' own choices: after everything above, so the rest
# of the data stays as it was.
for (e, p) in sorted({(e, p) for (l, e, p, nw) in links}):
    d = (p - 1) * 3
    print("INSERT INTO suggestions (employee_id, post_id, ledger_id, "
          "local_date) VALUES (%d, %d, %d, 'd%d');" % (e, p, d * 40 + e, d))
REASONS = ["'not_relevant'", "'not_my_network'", "'would_not_share'", "NULL"]
seen = set()
for (l, e, p, nw) in links:
    if (e, p) in seen or random.random() > (0.12 if p in (5, 7) else 0.03):
        continue
    seen.add((e, p))
    print("INSERT INTO declines (employee_id, post_id, reason, at) VALUES "
          "(%d, %d, %s, %d);" % (e, p, random.choice(REASONS),
                                 BASE + random.randint(0, 29 * 86400)))
for e in range(1, 41):
    if random.random() < 0.2:
        print("INSERT INTO preference_events (employee_id, at, kind) VALUES "
              "(%d, %d, %s);" % (e, BASE + random.randint(0, 29 * 86400),
                                 random.choice(["'weekly'", "'paused'",
                                                "'unsubscribed'", "'daily'"])))
print("COMMIT;")
