-- Help center, "getting started" section (slide 34: "help_beginner 62").

-- name: articles
SELECT id, title, sort_order
FROM helps
WHERE section = 'beginner'
ORDER BY sort_order, id;

-- name: top_articles
SELECT id, title, body
FROM helps
WHERE section = 'beginner'
ORDER BY sort_order, id
LIMIT 5;

-- name: sections
SELECT section, COUNT(*) AS articles
FROM helps
GROUP BY section
ORDER BY section;
