-- 0006_analysis_queue: analysis as a resumable job, and story state as rows.
-- An ingest queues the articles it changed in the same transaction that stores them; analysis
-- deletes a queue row (article and token) in the transaction that writes its results, so a
-- kill at any moment leaves the work queued. A re-queued article gets a new token.
CREATE TABLE analysis_queue (
    article_id TEXT PRIMARY KEY,
    token TEXT NOT NULL,
    queued_at TEXT NOT NULL
);

-- One analyser at a time: the holder names its host and process, so a lease left by a killed
-- process on this host is taken over at once; elsewhere it lapses at expires_at (unix seconds).
CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    host TEXT NOT NULL,
    pid INTEGER NOT NULL,
    since TEXT NOT NULL,
    expires_at REAL NOT NULL
);

-- What the story clusterer keeps of each analysed article (rasid.cluster.features), one row each.
CREATE TABLE cluster_features (
    article_id TEXT PRIMARY KEY,
    data BLOB NOT NULL
);

-- The near-copy index: each article's word shingles and its MinHash LSH band keys.
CREATE TABLE near_signatures (
    article_id TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL,
    shingles BLOB NOT NULL
);
CREATE TABLE near_bands (
    band_key INTEGER NOT NULL,
    article_id TEXT NOT NULL,
    PRIMARY KEY (band_key, article_id)
);
CREATE INDEX near_bands_article ON near_bands(article_id);

-- An analysed article's links are replaced from both sides (PostgreSQL has this index from 0001).
CREATE INDEX duplicates_other ON duplicates(other_id);

-- The state blobs these tables replace; a database analysed before is analysed again.
DELETE FROM state WHERE key IN ('dedupe.near_index', 'cluster.stories');
INSERT INTO analysis_queue SELECT article_id, 'migrated', '' FROM extractions;
