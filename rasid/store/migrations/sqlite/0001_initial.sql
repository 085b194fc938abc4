-- 0001_initial: articles, their full-text index, rejections, analysis results and state.
CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL,
    duplicate_of TEXT,
    outlet TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    origin TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL DEFAULT '',
    author TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT '',
    published TEXT,
    published_precision TEXT NOT NULL DEFAULT 'unknown',
    ingested_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    text TEXT NOT NULL,
    clean_text TEXT NOT NULL,
    meta TEXT NOT NULL DEFAULT '{}',
    record_hash TEXT NOT NULL
);
CREATE INDEX articles_hash ON articles(content_hash);
CREATE INDEX articles_outlet ON articles(outlet);
CREATE INDEX articles_published ON articles(published);
CREATE INDEX articles_ingested ON articles(ingested_at);

-- Stemmed, normalised terms of title and clean text (rasid.clean.stem.search_text).
CREATE VIRTUAL TABLE articles_fts USING fts5(id UNINDEXED, terms, tokenize = 'unicode61 remove_diacritics 0');

CREATE TABLE rejections (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    origin TEXT NOT NULL,
    reason TEXT NOT NULL,
    fix TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL
);

CREATE TABLE extractions (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    data TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- kind 'mention': one article's telling of an event; kind 'event': merged across a story.
CREATE TABLE events (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    article_id TEXT,
    story_id TEXT,
    type TEXT NOT NULL,
    subtype TEXT NOT NULL DEFAULT '',
    date TEXT,
    date_precision TEXT NOT NULL DEFAULT 'unknown',
    search TEXT NOT NULL DEFAULT '',
    data TEXT NOT NULL
);
CREATE INDEX events_kind_type ON events(kind, type);
CREATE INDEX events_article ON events(article_id);
CREATE INDEX events_story ON events(story_id);

CREATE TABLE duplicates (
    article_id TEXT NOT NULL,
    other_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    score REAL NOT NULL,
    PRIMARY KEY (article_id, other_id, kind)
);

CREATE TABLE stories (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    first_date TEXT,
    last_date TEXT,
    n_articles INTEGER NOT NULL,
    n_sources INTEGER NOT NULL,
    n_contradictions INTEGER NOT NULL,
    sort_key TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX stories_sort ON stories(sort_key);

CREATE TABLE story_articles (
    story_id TEXT NOT NULL,
    article_id TEXT NOT NULL PRIMARY KEY
);
CREATE INDEX story_articles_story ON story_articles(story_id);

CREATE TABLE state (
    key TEXT PRIMARY KEY,
    value BLOB NOT NULL
);
