-- 0007_story_summaries: what a story list shows beyond the story row (its number of merged events
-- and its places) in columns written with each story, so a page of summaries parses no story JSON
-- (that parsing was most of a story page's time: about 600 KB of JSON for 50 stories).
ALTER TABLE stories ADD COLUMN n_events INTEGER NOT NULL DEFAULT 0,
                    ADD COLUMN places TEXT NOT NULL DEFAULT '[]';
UPDATE stories SET n_events = COALESCE(jsonb_array_length(data::jsonb -> 'events'), 0),
                   places = COALESCE((data::jsonb -> 'places')::text, '[]');
