-- 0002_seen_records: fingerprints of raw records already stored, so an unchanged re-ingest
-- skips cleaning them at all.
CREATE TABLE seen_records (
    fingerprint TEXT PRIMARY KEY,
    article_id TEXT NOT NULL
);
