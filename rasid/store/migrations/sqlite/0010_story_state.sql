-- 0010_story_state: which state the stories are in. No row: one analysis of the record. A row:
-- rasid watch / rasid poll on a large record added reports to the last full pass's stories
-- without reclustering the whole record (docs/scale.md); a full pass removes it. Written in the
-- same transaction as the analysis batch it describes.
CREATE TABLE IF NOT EXISTS story_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    since TEXT NOT NULL,
    added INTEGER NOT NULL,
    batches INTEGER NOT NULL,
    full_pass_reports INTEGER NOT NULL,
    basis TEXT NOT NULL
)
