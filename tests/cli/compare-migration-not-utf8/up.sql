ALTER TABLE works DROP INDEX i;
-- the second statement is never run: the file is read whole first
ALTER TABLE works COMMENT = 'café';
