-- name: profile
SELECT * FROM profiles WHERE user_id = 1;

-- name: touch
UPDATE users SET last_login = NOW() WHERE id = 1;
