-- 0008_record_version: one counter that every write transaction bumps before it commits, so a
-- reader (an API worker's response cache) learns with one tiny query whether anything changed,
-- whichever process wrote it.
CREATE TABLE IF NOT EXISTS record_version (id INTEGER PRIMARY KEY CHECK (id = 1), n BIGINT NOT NULL);
INSERT INTO record_version VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
