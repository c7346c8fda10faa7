-- 002: the CHECKs that list allowed values as "x IN ('a', 'b', 'c')" say
-- "x = 'a' OR x = 'b' OR x = 'c'" instead. Same rule; but SQLite 3.40 runs
-- an IN list of three or more values through a temporary B-tree that it
-- builds and frees for every row written, and links, ledger and hits rows
-- are written on the hot paths: at 100,000 employees this was 14 us of
-- the 52 us spent planning a digest (bench/README.md).
--
-- No row can fail the new rule that passed the old one and the stored
-- rows do not change, so this is the in-place edit of sqlite_schema that
-- SQLite documents for changes that leave the file's content as it is
-- (lang_altertable.html, "Making Other Kinds Of Table Schema Changes"),
-- not a copy of every table. db_migrate() then raises schema_version, so
-- every connection, this one included, reads the new schema.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql,
    'CHECK (frequency IN (''daily'', ''weekly'', ''paused''))',
    'CHECK (frequency = ''daily'' OR frequency = ''weekly'' OR '
    || 'frequency = ''paused'')')
    WHERE type = 'table' AND name = 'employees';
UPDATE sqlite_schema SET sql = replace(sql,
    'CHECK (state IN (''pending'', ''sending'', ''sent'', ''skipped'','
    || char(10, 9, 9, 9) || '    ''failed_temp'', ''failed_perm''))',
    'CHECK (state = ''pending'' OR state = ''sending'' OR '
    || 'state = ''sent'' OR state = ''skipped'' OR '
    || 'state = ''failed_temp'' OR state = ''failed_perm'')')
    WHERE type = 'table' AND name = 'ledger';
UPDATE sqlite_schema SET sql = replace(sql,
    'CHECK (network IN (''linkedin'', ''x'', ''facebook''))',
    'CHECK (network = ''linkedin'' OR network = ''x'' OR '
    || 'network = ''facebook'')')
    WHERE type = 'table' AND name = 'links';
UPDATE sqlite_schema SET sql = replace(replace(sql,
    'CHECK (kind IN (''click'', ''share''))',
    'CHECK (kind = ''click'' OR kind = ''share'')'),
    'CHECK (class IN (''human'', ''bot'', ''preview'', ''head''))',
    'CHECK (class = ''human'' OR class = ''bot'' OR '
    || 'class = ''preview'' OR class = ''head'')')
    WHERE type = 'table' AND name = 'hits';
PRAGMA writable_schema = OFF;
-- Every edit above found its text, or the migration fails whole (the
-- constraint's name is what the error message shows).
CREATE TEMP TABLE check_002 (left_over INTEGER
    CONSTRAINT "a CHECK with an IN list was not rewritten"
    CHECK (left_over = 0));
INSERT INTO check_002 SELECT count(*) FROM sqlite_schema
    WHERE type = 'table' AND sql LIKE '%CHECK (% IN (%';
DROP TABLE check_002;
