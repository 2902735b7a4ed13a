-- Restore works.category_id_status_started exactly as schema.sql defines it (it is
-- the last key, so SHOW CREATE TABLE reads as before).
ALTER TABLE works ADD INDEX category_id_status_started (category_id, status, started);
