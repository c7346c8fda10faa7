-- Known data for the report tests. Day A is 2026-11-02 (UTC), 1793577600.
-- Expected numbers are worked out by hand in tests/e2e/report_truth.sh.
INSERT INTO employees (id, email, name, unsub_token, pref_token, created_at, updated_at) VALUES
 (1, 'ana@example.com', 'Ana María López', 'u1', 'p1', 0, 0),
 (2, 'li@example.com', '李小龙', 'u2', 'p2', 0, 0),
 (3, 'eve@example.com', '=HYPERLINK("http://evil.example/")', 'u3', 'p3', 0, 0),
 (4, 'quiet@example.com', 'Quiet Person', 'u4', 'p4', 0, 0),
 (5, 'gone@example.com', 'Gone Away', 'u5', 'p5', 0, 0);
UPDATE employees SET active = 0 WHERE id = 5;
INSERT INTO employee_roles VALUES (1, 'leadership'), (1, 'engineering'),
 (2, 'sales'), (3, '-ops'), (4, 'sales'), (5, 'sales');
INSERT INTO posts (id, ext_id, title, url, created_at, updated_at) VALUES
 (1, 'P1', 'Launch, "big" day', 'https://example.com/1', 0, 0),
 (2, 'P2', '+Growth @ scale', 'https://example.com/2', 0, 0),
 (3, 'P3', 'Ünshared 未分享', 'https://example.com/3', 0, 0);
INSERT INTO links (id, code, employee_id, post_id, network, created_at) VALUES
 (1, 'c1', 1, 1, 'linkedin', 0), (2, 'c2', 1, 1, 'x', 0),
 (3, 'c3', 2, 1, 'linkedin', 0), (4, 'c4', 3, 2, 'facebook', 0),
 (5, 'c5', 1, 2, 'linkedin', 0);
-- Ledger: A = day 20759.
INSERT INTO ledger (id, employee_id, local_date, state, created_at, updated_at) VALUES
 (1, 1, '2026-11-02', 'sent', 0, 1793577600 + 8*3600),
 (2, 2, '2026-11-02', 'sent', 0, 1793577600 + 9*3600),
 (3, 3, '2026-11-02', 'skipped', 0, 1793577600 + 8*3600),
 (4, 4, '2026-11-02', 'failed_perm', 0, 1793577600 + 8*3600),
 (5, 1, '2026-11-03', 'sent', 0, 1793577600 + 86400 + 8*3600),
 (6, 2, '2026-11-03', 'failed_temp', 0, 1793577600 + 86400 + 8*3600),
 (7, 3, '2026-11-03', 'sent', 0, 1793577600 + 86400 + 8*3600),
 (8, 1, '2026-11-09', 'sent', 0, 1793577600 + 7*86400 + 8*3600),
 (9, 4, '2026-11-03', 'pending', 0, 1793577600 + 86400);
INSERT INTO suggestions (employee_id, post_id, ledger_id, local_date) VALUES (1, 1, 1, '2026-11-02'), (2, 1, 2, '2026-11-02'),
 (4, 1, 4, '2026-11-02'), (3, 2, 7, '2026-11-03'), (1, 2, 8, '2026-11-09');
-- Hits. visitor blobs: v1..v9, s (sharer), p (preview fetcher), b (bot).
INSERT INTO hits (link_id, ts, kind, class, repeat, visitor) VALUES
 -- day A, link 1: 1 share (+1 repeat), 2 previews, 3 clicks by 2 people,
 -- a bot and a HEAD
 (1, 1793577600 + 36000, 'share', 'human', 0, x'5301'),
 (1, 1793577600 + 36001, 'share', 'human', 1, x'5301'),
 (1, 1793577600 + 36100, 'click', 'preview', 0, x'5001'),
 (1, 1793577600 + 36200, 'click', 'preview', 0, x'5001'),
 (1, 1793577600 + 40000, 'click', 'human', 0, x'7601'),
 (1, 1793577600 + 40010, 'click', 'human', 1, x'7601'),
 (1, 1793577600 + 40020, 'click', 'human', 0, x'7602'),
 (1, 1793577600 + 40030, 'click', 'bot', 0, x'6201'),
 (1, 1793577600 + 40040, 'click', 'head', 0, x'6201'),
 -- day A, link 2: v1 again (another link), a bot on the share route
 (2, 1793577600 + 50000, 'click', 'human', 0, x'7601'),
 (2, 1793577600 + 50010, 'share', 'bot', 0, x'6201'),
 -- day A, link 3
 (3, 1793577600 + 50020, 'click', 'preview', 0, x'5002'),
 (3, 1793577600 + 50030, 'click', 'human', 0, x'7603'),
 -- day B, link 1: v1 on a new day counts again, and v4
 (1, 1793577600 + 86400 + 100, 'click', 'human', 0, x'7601'),
 (1, 1793577600 + 86400 + 200, 'click', 'human', 0, x'7604'),
 -- day B, link 4: a share, v5 twice (a repeat), v6
 (4, 1793577600 + 86400 + 300, 'share', 'human', 0, x'5303'),
 (4, 1793577600 + 86400 + 400, 'click', 'human', 0, x'7605'),
 (4, 1793577600 + 86400 + 500, 'click', 'human', 1, x'7605'),
 (4, 1793577600 + 86400 + 600, 'click', 'human', 0, x'7606'),
 -- day B's last second and day C's first
 (3, 1793577600 + 2*86400 - 1, 'click', 'human', 0, x'7608'),
 (5, 1793577600 + 7*86400, 'click', 'human', 0, x'7609'),
 -- day C, link 5
 (5, 1793577600 + 7*86400 + 100, 'click', 'preview', 0, x'5003'),
 (5, 1793577600 + 7*86400 + 200, 'click', 'human', 0, x'7607');
-- "Not for me" and the employees' own choices, for the declined column
-- and the monthly review: October, November (A, A+2) and December.
INSERT INTO declines (employee_id, post_id, reason, at) VALUES
 (4, 3, 'would_not_share', 1793577600 - 2*86400 + 100),	-- 2026-10-31
 (4, 1, 'not_relevant', 1793577600 + 3600),		-- 2026-11-02
 (2, 2, NULL, 1793577600 + 2*86400);			-- 2026-11-04
INSERT INTO preference_events (employee_id, at, kind) VALUES
 (5, 1793577600 + 3600, 'unsubscribed'),		-- 2026-11-02
 (4, 1793577600 + 10*3600, 'paused'),			-- 2026-11-02
 (2, 1793577600 + 3*86400, 'weekly'),			-- 2026-11-05
 (4, 1793577600 + 30*86400, 'daily'),			-- 2026-12-02
 (3, 1793577600 + 31*86400, 'unsubscribed'),		-- 2026-12-03
 (3, 1793577600 + 31*86400 + 60, 'resubscribed');	-- 2026-12-03
