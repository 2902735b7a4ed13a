SELECT id, title FROM works WHERE deleted = 0 ORDER BY id DESC LIMIT 10;
SELECT id, name FROM categories WHERE parent_id IS NULL ORDER BY sort_order;
