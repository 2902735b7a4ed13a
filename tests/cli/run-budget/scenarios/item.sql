-- The item page, as the query log shows it.
-- name: item
SELECT * FROM items WHERE id = 7;

-- name: category
SELECT name FROM categories WHERE id = 2;
