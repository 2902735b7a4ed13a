SELECT id FROM categories;
