-- My page: what the profile screen ran, pasted from the query log.
-- name: profile
SELECT * FROM profiles WHERE user_id = 1;

-- name: unread
SELECT COUNT(*) FROM messages WHERE to_user_id = 1 AND read_at IS NULL;
