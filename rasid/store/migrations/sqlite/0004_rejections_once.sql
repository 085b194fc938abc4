-- 0004_rejections_once: a record refused again (a re-run over the same bad input) updates its
-- rejection instead of adding a copy.
DELETE FROM rejections WHERE seq NOT IN (SELECT MAX(seq) FROM rejections GROUP BY origin, reason);
CREATE UNIQUE INDEX rejections_once ON rejections(origin, reason);
