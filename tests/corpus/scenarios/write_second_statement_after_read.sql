SELECT 1;
-- name: sneaky
UPDATE t SET a = 1;
