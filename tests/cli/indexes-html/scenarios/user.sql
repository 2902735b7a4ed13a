-- name: profile
SELECT name FROM users WHERE id = 7;
