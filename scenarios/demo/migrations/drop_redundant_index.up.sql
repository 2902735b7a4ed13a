-- Drop proposals.user_id, a left prefix of proposals.user_id_status (planted in
-- schema.sql). Every screen query on proposals by user filters or groups on status
-- as well and already uses user_id_status, so no plan and no timing should change.
ALTER TABLE proposals DROP INDEX user_id;
