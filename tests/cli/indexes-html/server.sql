-- Orders with two index problems for `indexes` to find: an index on a flag almost every
-- row shares (low cardinality), and one that is the left prefix of another (redundant).
-- Loaded into a fresh database to record server.json (SQLMEASURE_RECORD_GOLDEN=1,
-- tests/support/golden_recorder.h).
CREATE TABLE users (
  id INT NOT NULL PRIMARY KEY,
  name VARCHAR(40) NOT NULL
) ENGINE=InnoDB;

CREATE TABLE orders (
  id INT NOT NULL PRIMARY KEY,
  user_id INT NOT NULL,
  total INT NOT NULL,
  deleted TINYINT NOT NULL DEFAULT 0,
  created DATETIME NOT NULL,
  KEY deleted (deleted),
  KEY user_id (user_id),
  KEY user_created (user_id, created)
) ENGINE=InnoDB;

INSERT INTO users (id, name)
WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
SELECT i, CONCAT('user ', i) FROM n;

-- 2000 orders (the advisor judges selectivity from 1000 rows on; recursion stops at 1000
-- in MariaDB), 1 in 100 deleted.
INSERT INTO orders (id, user_id, total, deleted, created)
WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000),
  o (i) AS (SELECT n.i + half.k FROM n, (SELECT 0 AS k UNION ALL SELECT 1000) AS half)
SELECT i, 1 + i % 200, 10 * (i % 97), i % 100 = 0,
       TIMESTAMP '2024-01-01 00:00:00' + INTERVAL i MINUTE FROM o;

-- Statistics as of now: the report quotes SHOW INDEX cardinalities and row estimates.
ANALYZE TABLE users, orders;
