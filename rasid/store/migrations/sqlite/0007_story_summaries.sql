-- 0007_story_summaries: what a story list shows beyond the story row (its number of merged events
-- and its places) in columns written with each story, so a page of summaries parses no story JSON.
ALTER TABLE stories ADD COLUMN n_events INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stories ADD COLUMN places TEXT NOT NULL DEFAULT '[]';
UPDATE stories SET n_events = COALESCE(json_array_length(data, '$.events'), 0),
                   places = COALESCE(json_extract(data, '$.places'), '[]');
