-- Work search, all categories (slide 34: "work_search 45"). A plain .sql screen:
-- statements separated by semicolons, each optionally named by a "-- name:" line.
-- The belongsTo associations are LEFT JOINs, as CakePHP writes them.

-- name: list
SELECT w.id, w.title, w.budget_from, w.budget_to, w.deadline, w.proposal_count,
       c.name AS category, u.username
FROM works w
LEFT JOIN categories c ON c.id = w.category_id
LEFT JOIN users u ON u.id = w.user_id
WHERE w.deleted = 0 AND w.status = 1
ORDER BY w.id DESC
LIMIT 20;

-- name: total
SELECT SUM(work_count) FROM categories WHERE parent_id IS NULL;

-- name: category_menu
SELECT id, name, slug, work_count
FROM categories
WHERE parent_id IS NULL
ORDER BY sort_order, id;
