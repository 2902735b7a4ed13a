-- Restore proposals.user_id exactly as schema.sql defines it (it is the last key, so
-- SHOW CREATE TABLE reads as before).
ALTER TABLE proposals ADD INDEX user_id (user_id);
