-- name: count
SELECT COUNT(*) FROM works FORCE INDEX (PRIMARY);
