-- 0005_listing_order: events and stories are listed newest first from these indexes instead of
-- sorting every row (with its JSON) for each page.
CREATE INDEX events_order ON events(kind, COALESCE(date, '') DESC, id);
CREATE INDEX stories_order ON stories(sort_key DESC, id);
