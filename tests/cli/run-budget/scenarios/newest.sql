SELECT id, title FROM items ORDER BY created DESC LIMIT 10;
