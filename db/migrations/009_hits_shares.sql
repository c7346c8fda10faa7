-- 009: the shares of a day, found without reading the day's clicks.
--
-- The store-wide judge (redirector/rejudge.c) applies the self rule and
-- repeats over every node's hits: before it judges some seconds it reads
-- the shares of their day so far, and a share pressed on one redirector
-- makes the same visitor's clicks on another one `self`. Shares are a
-- small part of the hits, so this index costs a redirector little, where
-- an index of every hit by link or visitor would cost every insert.
CREATE INDEX IF NOT EXISTS hits_shares ON hits(ts) WHERE kind = 'share';
