-- 007, for PostgreSQL: hits without its foreign key (see
-- ../007_hits_log.sql), and hit ids by blocks.
ALTER TABLE hits DROP CONSTRAINT hits_link_id_fkey;

-- Each value of the identity sequence of hits.id stands for the 256 ids
-- from it (HITS_ID_BLOCK in db/hits.h): a redirector takes a block at a
-- time for its next batches, one nextval where it took one per hit, and
-- most batches need no round trip of their own to learn their ids. A row
-- inserted with the default id takes a whole block, and the next value is
-- above every id already handed out, so ids stay unique and keep
-- increasing within each session.
ALTER TABLE hits ALTER COLUMN id SET INCREMENT BY 256;
