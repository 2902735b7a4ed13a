-- Remove the index again.
ALTER TABLE works DROP INDEX deleted;
