-- A small shop: categories and their items. Loaded into a fresh database to record
-- server.json (SQLMEASURE_RECORD_GOLDEN=1, tests/support/golden_recorder.h).
CREATE TABLE categories (
  id INT NOT NULL PRIMARY KEY,
  name VARCHAR(40) NOT NULL
) ENGINE=InnoDB;

CREATE TABLE items (
  id INT NOT NULL PRIMARY KEY,
  category_id INT NOT NULL,
  title VARCHAR(80) NOT NULL,
  price INT NOT NULL,
  created DATE NOT NULL,
  KEY category_created (category_id, created)
) ENGINE=InnoDB;

INSERT INTO categories VALUES (1, 'books'), (2, 'music'), (3, 'games');

INSERT INTO items (id, category_id, title, price, created)
WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60)
SELECT i, 1 + i % 3, CONCAT('item ', i), 100 * i, DATE '2024-01-01' + INTERVAL i DAY FROM n;

-- Statistics as of now, so that EXPLAIN's row estimates do not depend on when it ran.
ANALYZE TABLE categories, items;
