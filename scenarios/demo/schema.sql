-- sqlmeasure demo world: a freelance marketplace modelled on the source talk
-- (shared/seeds/001, slides 34-35). CakePHP conventions: every table has an
-- auto-increment `id` primary key plus `created` / `modified` DATETIME columns, no
-- foreign keys. InnoDB, utf8mb4. Valid on MariaDB 10.11 and MySQL 8.0.
--
-- This file is the documented, final schema: the loader runs it as is, then
-- generate.sql fills the tables. Every index the screens need is here, plus a
-- handful of deliberately planted problems, each marked with a `-- planted:` comment
-- so that `sqlmeasure indexes` has something real to find.

-- Members. Clients post works, freelancers propose, and one account can be both.
CREATE TABLE users (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  username VARCHAR(64) NOT NULL,
  email VARCHAR(255) NOT NULL,
  password CHAR(60) NOT NULL,
  role TINYINT UNSIGNED NOT NULL DEFAULT 2 COMMENT '1 client, 2 freelancer, 3 both',
  status TINYINT UNSIGNED NOT NULL DEFAULT 0 COMMENT '0 provisional, 1 active, 2 suspended, 3 withdrawn',
  deleted TINYINT(1) NOT NULL DEFAULT 0,
  last_login DATETIME NULL,
  created DATETIME NOT NULL,
  modified DATETIME NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY email (email),
  UNIQUE KEY username (username),
  -- planted: low-cardinality index. `deleted` has 2 values and ~98.5 % of rows are 0
  -- (slide 35: "deleted flag, cardinality 2"). No screen can use it profitably.
  KEY deleted (deleted),
  -- planted: a low-cardinality index a screen needs. `status` has 4 values and 90 % of
  -- rows are 1, so the low-cardinality rule proposes dropping it; admin_moderation looks
  -- up the rare value 2 (1 %) through it. `indexes --verify` must say keep.
  KEY status (status)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Public profile, 1:1 with users.
CREATE TABLE profiles (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  user_id INT UNSIGNED NOT NULL,
  nickname VARCHAR(64) NOT NULL,
  prefecture_id TINYINT UNSIGNED NOT NULL COMMENT '1..47, 13 = Tokyo',
  occupation TINYINT UNSIGNED NOT NULL COMMENT '1 engineer .. 10 other',
  introduction VARCHAR(1000) NOT NULL DEFAULT '',
  birthday DATE NULL,
  rating DECIMAL(3,2) NOT NULL DEFAULT 0.00,
  review_count INT UNSIGNED NOT NULL DEFAULT 0,
  created DATETIME NOT NULL,
  modified DATETIME NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY user_id (user_id),
  KEY prefecture_id_occupation (prefecture_id, occupation),
  -- planted: unused index. No screen filters or sorts on birthday.
  KEY birthday (birthday)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Category tree: 20 top-level categories (parent_id NULL), 280 children.
CREATE TABLE categories (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  parent_id INT UNSIGNED NULL,
  name VARCHAR(100) NOT NULL,
  slug VARCHAR(100) NOT NULL,
  sort_order INT NOT NULL DEFAULT 0,
  work_count INT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'counter cache: open works',
  created DATETIME NOT NULL,
  modified DATETIME NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY slug (slug),
  KEY parent_id (parent_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Works (jobs) posted by clients.
CREATE TABLE works (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  user_id INT UNSIGNED NOT NULL,
  category_id INT UNSIGNED NOT NULL,
  title VARCHAR(255) NOT NULL,
  description TEXT NOT NULL,
  status TINYINT UNSIGNED NOT NULL DEFAULT 0 COMMENT '0 draft, 1 open, 2 in progress, 3 completed, 4 closed',
  budget_from INT UNSIGNED NULL,
  budget_to INT UNSIGNED NULL,
  deadline DATE NULL,
  started DATETIME NULL COMMENT 'when the work was opened for proposals',
  proposal_count INT UNSIGNED NOT NULL DEFAULT 0,
  deleted TINYINT(1) NOT NULL DEFAULT 0,
  created DATETIME NOT NULL,
  modified DATETIME NOT NULL,
  PRIMARY KEY (id),
  KEY user_id (user_id),
  -- planted: redundant index, primary-key suffix. On InnoDB every secondary index
  -- already ends with the primary key, so `user_id` above is physically
  -- (user_id, id): this one duplicates it.
  KEY user_id_id (user_id, id),
  -- planted: ORDER BY created on a table with an auto-increment id. The top screen's
  -- "new works" list sorts by created, while ORDER BY id gives the same order with no
  -- extra index (slide 35), after which this index could go.
  KEY created (created),
  KEY budget_from (budget_from),
  KEY deadline (deadline),
  -- The index every work_search_<category> screen lives on (list, count and tags
  -- queries). Migration drop_category_index drops it. It is the last key so that
  -- re-adding it (the rollback) gives back the same SHOW CREATE TABLE. Its leading
  -- column is an equality filter and the last one the sort, by design.
  KEY category_id_status_started (category_id, status, started)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Polymorphic category links, as on slide 35: (categorization_type,
-- categorization_id) points at a Work, Profile or Portfolio row.
CREATE TABLE categorizations (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  category_id INT UNSIGNED NOT NULL,
  categorization_type VARCHAR(32) NOT NULL COMMENT 'Work, Profile or Portfolio',
  categorization_id INT UNSIGNED NOT NULL,
  created DATETIME NOT NULL,
  modified DATETIME NOT NULL,
  PRIMARY KEY (id),
  KEY category_id (category_id),
  -- planted: composite index with a low-cardinality leading column.
  -- categorization_type has 3 distinct values, categorization_id hundreds of
  -- thousands: (categorization_id, categorization_type) would serve the same
  -- lookups with a selective first column (slide 35).
  KEY categorization_type_categorization_id (categorization_type, categorization_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Proposals (bids) from freelancers on works.
CREATE TABLE proposals (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  work_id INT UNSIGNED NOT NULL,
  user_id INT UNSIGNED NOT NULL,
  status TINYINT UNSIGNED NOT NULL DEFAULT 1 COMMENT '1 submitted, 2 accepted, 3 rejected, 4 withdrawn',
  price INT UNSIGNED NOT NULL,
  message VARCHAR(500) NOT NULL DEFAULT '',
  created DATETIME NOT NULL,
  modified DATETIME NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY work_id_user_id (work_id, user_id),
  KEY user_id_status (user_id, status),
  -- planted: redundant index, left prefix of user_id_status above. Every screen
  -- query on proposals by user also filters or groups on status and uses
  -- user_id_status. Migration drop_redundant_index drops this one (and, it being
  -- the last key, its rollback re-adds it with an identical SHOW CREATE TABLE).
  KEY user_id (user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Portfolio entries shown on a freelancer's page.
CREATE TABLE portfolios (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  user_id INT UNSIGNED NOT NULL,
  category_id INT UNSIGNED NOT NULL,
  title VARCHAR(255) NOT NULL,
  description VARCHAR(1000) NOT NULL DEFAULT '',
  url VARCHAR(255) NULL,
  deleted TINYINT(1) NOT NULL DEFAULT 0,
  created DATETIME NOT NULL,
  modified DATETIME NOT NULL,
  PRIMARY KEY (id),
  KEY user_id (user_id),
  -- planted: exact duplicate index. What `ALTER TABLE portfolios ADD INDEX (user_id)`
  -- run a second time creates: same columns, same order, auto-named user_id_2.
  KEY user_id_2 (user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Work history on a freelancer's profile.
-- planted: stale statistics. Persistent statistics that are never recalculated
-- automatically: the loader runs ANALYZE TABLE while the table is still empty and
-- only then fills it, so SHOW INDEX reports cardinality 0 on a non-empty table.
CREATE TABLE experiences (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  user_id INT UNSIGNED NOT NULL,
  company_name VARCHAR(255) NOT NULL,
  job_title VARCHAR(255) NOT NULL,
  started DATE NOT NULL,
  ended DATE NULL,
  description VARCHAR(1000) NOT NULL DEFAULT '',
  created DATETIME NOT NULL,
  modified DATETIME NOT NULL,
  PRIMARY KEY (id),
  KEY user_id (user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 STATS_PERSISTENT=1 STATS_AUTO_RECALC=0;

-- Skill master (500 skills, each under a top-level category).
CREATE TABLE skills (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  category_id INT UNSIGNED NOT NULL,
  name VARCHAR(100) NOT NULL,
  created DATETIME NOT NULL,
  modified DATETIME NOT NULL,
  PRIMARY KEY (id),
  KEY category_id (category_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Skills a user claims, with a self-assessed level 1..5.
CREATE TABLE user_skills (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  user_id INT UNSIGNED NOT NULL,
  skill_id INT UNSIGNED NOT NULL,
  level TINYINT UNSIGNED NOT NULL DEFAULT 1,
  years TINYINT UNSIGNED NOT NULL DEFAULT 0,
  created DATETIME NOT NULL,
  modified DATETIME NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY user_id_skill_id (user_id, skill_id),
  KEY skill_id_level (skill_id, level)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Help center articles (help_beginner screen).
CREATE TABLE helps (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  section VARCHAR(32) NOT NULL COMMENT 'beginner, client, freelancer, payment, account, trouble',
  title VARCHAR(255) NOT NULL,
  body TEXT NOT NULL,
  sort_order INT NOT NULL DEFAULT 0,
  created DATETIME NOT NULL,
  modified DATETIME NOT NULL,
  PRIMARY KEY (id),
  KEY section_sort_order (section, sort_order)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
