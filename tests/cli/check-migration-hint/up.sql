-- Drop two indexes; one is put back under the same name.
ALTER TABLE works DROP INDEX created, DROP INDEX user_id;
CREATE INDEX user_id ON works (user_id, id);
ALTER TABLE works RENAME INDEX budget TO budget_from;
