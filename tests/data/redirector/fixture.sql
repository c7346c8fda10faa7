-- Two employees, three posts and their links, for the redirector's tests.
INSERT INTO employees (id, email, name, unsub_token, pref_token, created_at,
    updated_at) VALUES
 (1, 'ann@example.com', 'Ann Lee', '11111111-1111-4111-8111-111111111111',
  '22222222-2222-4222-8222-222222222222', 0, 0),
 (2, 'bob@example.com', 'Bob', '33333333-3333-4333-8333-333333333333',
  '44444444-4444-4444-8444-444444444444', 0, 0);
INSERT INTO posts (id, ext_id, title, url, text, text_x, created_at,
    updated_at) VALUES
 (1, 'launch-2026', 'Launch', 'https://example.com/blog/launch', 'We launched!',
  'Launch day', 0, 0),
 (2, 'q&a', 'Q&A', 'https://example.com/qa?lang=en&utm_source=newsletter#top',
  '', NULL, 0, 0),
 (3, 'plain', 'Plain title', 'https://example.com/p#frag', '', NULL, 0, 0);
INSERT INTO links (id, code, employee_id, post_id, network, created_at) VALUES
 (1, 'Lk1aaaaaaa', 1, 1, 'linkedin', 0),
 (2, 'Xx1aaaaaaa', 1, 1, 'x', 0),
 (3, 'Fb1aaaaaaa', 1, 1, 'facebook', 0),
 (4, 'Lk2bbbbbbb', 1, 2, 'linkedin', 0),
 (5, 'Xx3ccccccc', 2, 3, 'x', 0),
 (8, 'Lk8aaaaaaaaa', 2, 2, 'linkedin', 0);	-- 12 characters: a slice
