-- 0009_version_notify: every bump of the record's version is announced on the channel
-- rasid_version as '<schema> <n>', delivered when the writing transaction commits, so an API
-- worker listening there (rasid.store.pgnotify) knows the version without asking for it. The
-- schema tells records in one database apart (a channel is per database).
CREATE OR REPLACE FUNCTION rasid_version_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('rasid_version', current_schema() || ' ' || NEW.n);
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS record_version_notify ON record_version;
CREATE TRIGGER record_version_notify AFTER UPDATE ON record_version
    FOR EACH ROW EXECUTE FUNCTION rasid_version_notify();
