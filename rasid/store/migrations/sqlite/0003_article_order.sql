-- 0003_article_order: the newest-first listing reads this index instead of sorting every row.
CREATE INDEX articles_order ON articles(COALESCE(published, '') DESC, ingested_at DESC, id);
