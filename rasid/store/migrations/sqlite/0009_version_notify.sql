-- 0009_version_notify: nothing to do in SQLite. On PostgreSQL this migration announces each bump
-- of record_version to listening API workers; a SQLite reader asks for the version itself, which
-- costs it about 25 microseconds (PRAGMA data_version about 23: not worth a second mechanism).
SELECT 1;
