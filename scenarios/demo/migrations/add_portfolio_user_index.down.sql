-- Remove the index again.
ALTER TABLE portfolios DROP INDEX user_deleted_id;
