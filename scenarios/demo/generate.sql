-- sqlmeasure demo world: deterministic data generator.
--
-- Run after schema.sql, in the same database. The loader prepends
--   SET @scale = 1.0;
-- (scale 1 = ~1.7 million rows, 0.01 = ~18 thousand), and for speed it drops the
-- secondary indexes before this script and rebuilds them after it (see load). Run
-- on its own, with the indexes in place, it gives the same data, only slower.
-- Portable to MariaDB 10.11 and MySQL 8.0: no sequence engine, no recursive CTE
-- (MySQL caps recursion at 1000), no RAND(). Every "random" value is CRC32 of a
-- salt and the row number, so the same scale always produces the very same rows.
--
-- Time line: the site opened 2017-01-01 and "now" is 2025-01-01 00:00:00. Row n of N
-- is created at  2017-01-01 + span * sqrt((n - 0.5) / N)  - strictly increasing with
-- id (created order = id order, as slide 35 says it basically is), with more rows in
-- later years (the marketplace grows).

SET @scale = COALESCE(@scale, 1.0);

-- Session settings for the bulk INSERT ... SELECTs: bigger in-memory temporary
-- tables and sort buffer keep the ordered ones off disk.
SET SESSION tmp_table_size = 268435456;
SET SESSION max_heap_table_size = 268435456;
SET SESSION sort_buffer_size = 67108864;
-- Compute each derived column once (materialize the FROM (SELECT ...) tables) instead
-- of re-evaluating the expressions at every reference.
SET SESSION optimizer_switch = 'derived_merge=off';

-- Times are TIMESTAMP literals plus a number of seconds: '2017-01-01' is the
-- opening, 252460800 s later (2025-01-01) is "now".
SET @span = 252460800;
SET @n_users = CAST(GREATEST(200, ROUND(100000 * @scale)) AS SIGNED);
SET @n_works = CAST(GREATEST(600, ROUND(300000 * @scale)) AS SIGNED);
SET @n_portfolios = CAST(GREATEST(100, ROUND(60000 * @scale)) AS SIGNED);
SET @n_experiences = CAST(GREATEST(100, ROUND(50000 * @scale)) AS SIGNED);
SET @n_max = GREATEST(@n_users, @n_works, @n_portfolios, @n_experiences, 1000);

-- Stale statistics (planted, see schema.sql): persist the statistics of the still
-- empty experiences table. STATS_AUTO_RECALC=0 keeps them that way after the fill.
ANALYZE TABLE experiences;

-- ---------------------------------------------------------------- helpers
-- _digits (0..9) -> _k1000 (0..999) -> _seq (1..@n_max), by cross joins that only
-- ever produce the rows needed. _pairs (cnt, k) holds k = 1..cnt for cnt < 50, so
-- "cnt child rows per parent row" is an equi-join (a non-equi join such as
-- s.n <= w.cnt leaves the optimizer free to pick a quadratic plan). Dropped at the
-- end.
DROP TABLE IF EXISTS _digits;
DROP TABLE IF EXISTS _k1000;
DROP TABLE IF EXISTS _seq;
DROP TABLE IF EXISTS _pairs;
CREATE TABLE _digits (d INT NOT NULL PRIMARY KEY) ENGINE=InnoDB;
INSERT INTO _digits (d) VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9);
CREATE TABLE _k1000 (n INT NOT NULL PRIMARY KEY) ENGINE=InnoDB;
INSERT INTO _k1000 (n)
SELECT a.d + 10 * b.d + 100 * c.d FROM _digits a CROSS JOIN _digits b CROSS JOIN _digits c;
CREATE TABLE _seq (n INT NOT NULL PRIMARY KEY) ENGINE=InnoDB;
INSERT INTO _seq (n)
SELECT 1 + a.n + 1000 * b.n + 1000000 * c.n
FROM _k1000 a CROSS JOIN _k1000 b CROSS JOIN _k1000 c
WHERE c.n <= (@n_max - 1) DIV 1000000
  AND b.n <= LEAST(999, (@n_max - 1) DIV 1000)
  AND a.n + 1000 * b.n + 1000000 * c.n < @n_max;
CREATE TABLE _pairs (cnt INT NOT NULL, k INT NOT NULL, PRIMARY KEY (cnt, k)) ENGINE=InnoDB;
INSERT INTO _pairs (cnt, k)
SELECT a.n, b.n FROM _k1000 a JOIN _k1000 b ON b.n BETWEEN 1 AND a.n WHERE a.n < 50;

-- ---------------------------------------------------------------- categories
-- 20 top-level categories (ids 1..20) and 280 children (ids 21..300). Child c has
-- parent 1 + (c - 21) % 20 and popularity rank r = c - 20. Works pick a child with
-- a Zipf-like law, P(rank r) ~ r^-1.5 (inverse transform of a Pareto), so 21 system
-- (~30 %), 22 web, 23 design, 24 writer are the huge ones and the ids in the high
-- 200s get a few dozen works at scale 1.
INSERT INTO categories (id, parent_id, name, slug, sort_order, work_count, created, modified)
SELECT n, NULL,
       ELT(n, 'System development', 'Web production', 'Design', 'Writing', 'Translation',
              'Business support', 'Photo, video and audio', 'Tasks', 'Marketing', 'Apps',
              'Engineering and CAD', 'Consulting', 'Legal', 'Finance and accounting',
              'Education', 'Music', 'Games', 'Data and AI', 'Customer support', 'Other'),
       ELT(n, 'system', 'web', 'design', 'writer', 'translation', 'business', 'media',
              'task', 'marketing', 'app', 'engineering', 'consulting', 'legal', 'finance',
              'education', 'music', 'game', 'data', 'support', 'other'),
       n, 0, TIMESTAMP'2017-01-01 00:00:00', TIMESTAMP'2017-01-01 00:00:00'
FROM _seq WHERE n <= 20;

INSERT INTO categories (id, parent_id, name, slug, sort_order, work_count, created, modified)
SELECT s.n, p.id,
       CONCAT(p.name, ' - ',
              ELT(1 + (s.n - 21) DIV 20, 'General', 'Small jobs', 'Corporate', 'Startups',
                  'Long term', 'Urgent', 'Beginners welcome', 'Specialists', 'Remote',
                  'Review and advice', 'Maintenance', 'Templates', 'Bulk', 'Others')),
       CONCAT(p.slug, '-', 1 + (s.n - 21) DIV 20),
       1 + (s.n - 21) DIV 20, 0,
       DATE_ADD(TIMESTAMP'2017-01-01 00:00:00', INTERVAL (s.n - 21) DAY), DATE_ADD(TIMESTAMP'2017-01-01 00:00:00', INTERVAL (s.n - 21) DAY)
FROM _seq s JOIN categories p ON p.id = 1 + MOD(s.n - 21, 20)
WHERE s.n BETWEEN 21 AND 300
ORDER BY s.n;

-- ---------------------------------------------------------------- users
-- status: 90 % active, 5 % provisional, 1 % suspended, 4 % withdrawn.
-- deleted: 1.5 % (mostly withdrawn accounts).
INSERT INTO users (id, username, email, password, role, status, deleted, last_login, created, modified)
SELECT n,
       CONCAT(ELT(1 + MOD(h1, 20), 'sato', 'suzuki', 'takahashi', 'tanaka', 'ito', 'watanabe',
                  'yamamoto', 'nakamura', 'kobayashi', 'kato', 'yoshida', 'yamada', 'sasaki',
                  'yamaguchi', 'matsumoto', 'inoue', 'kimura', 'hayashi', 'saito', 'shimizu'),
              '_', n),
       CONCAT('user', n, '@example.', ELT(1 + MOD(h1 DIV 20, 4), 'com', 'jp', 'net', 'org')),
       CONCAT('$2y$10$', LEFT(CONCAT(MD5(n), MD5(n + 1)), 53)),
       CASE WHEN MOD(h2, 100) < 25 THEN 1 WHEN MOD(h2, 100) < 85 THEN 2 ELSE 3 END,
       st,
       CASE WHEN st = 3 AND MOD(h3, 100) < 30 THEN 1
            WHEN st <> 3 AND MOD(h3, 1000) < 4 THEN 1 ELSE 0 END,
       CASE WHEN st = 0 THEN NULL
            ELSE DATE_ADD(created, INTERVAL FLOOR((@span - off) * SQRT(MOD(h4, 1000) / 1000)) SECOND) END,
       created,
       DATE_ADD(created, INTERVAL MOD(h4, 86400) SECOND)
FROM (
  SELECT n, h1, h2, h3, h4, off,
         DATE_ADD(TIMESTAMP'2017-01-01 00:00:00', INTERVAL off SECOND) AS created,
         CASE WHEN MOD(h2 DIV 100, 100) < 90 THEN 1 WHEN MOD(h2 DIV 100, 100) < 95 THEN 0
              WHEN MOD(h2 DIV 100, 100) < 96 THEN 2 ELSE 3 END AS st
  FROM (
    SELECT n,
           CRC32(CONCAT('u1:', n)) AS h1, CRC32(CONCAT('u2:', n)) AS h2,
           CRC32(CONCAT('u3:', n)) AS h3, CRC32(CONCAT('u4:', n)) AS h4,
           FLOOR(@span * SQRT((n - 0.5) / @n_users)) AS off
    FROM _seq WHERE n <= @n_users
  ) b
) t;

-- ---------------------------------------------------------------- profiles
-- 1:1 with users, same order. prefecture: 35 % Tokyo (13), then Kanagawa, Osaka,
-- Aichi, Saitama, Chiba, Fukuoka, the rest spread over all 47.
-- occupation: 1 engineer 25 %, 2 designer 20 %, 3 writer 18 %, 4 translator 6 %,
-- 5 marketer 8 %, 6 video 5 %, 7 photographer 4 %, 8 consultant 4 %, 9 office 6 %,
-- 10 other 4 %.
INSERT INTO profiles (id, user_id, nickname, prefecture_id, occupation, introduction, birthday,
                      rating, review_count, created, modified)
SELECT n, n,
       CONCAT(ELT(1 + MOD(h1, 16), 'Aki', 'Ken', 'Yui', 'Sho', 'Mio', 'Ryo', 'Emi', 'Dai',
                  'Rin', 'Kou', 'Nao', 'Yuu', 'Hana', 'Taku', 'Saki', 'Jun'),
              ' ', MOD(h1 DIV 16, 1000)),
       CASE WHEN MOD(h2, 100) < 35 THEN 13 WHEN MOD(h2, 100) < 45 THEN 14
            WHEN MOD(h2, 100) < 55 THEN 27 WHEN MOD(h2, 100) < 61 THEN 23
            WHEN MOD(h2, 100) < 66 THEN 11 WHEN MOD(h2, 100) < 71 THEN 12
            WHEN MOD(h2, 100) < 75 THEN 40 ELSE 1 + MOD(h2 DIV 100, 47) END,
       occ,
       CONCAT('Hello! I work as a ',
              ELT(occ, 'software engineer', 'designer', 'writer', 'translator', 'marketer',
                  'video creator', 'photographer', 'consultant', 'office assistant', 'freelancer'),
              ' with ', 1 + MOD(h3, 20), ' years of experience. Quick replies, careful work, ',
              'and clear communication are what I value most.'),
       CASE WHEN MOD(h3 DIV 20, 10) = 0 THEN NULL
            ELSE DATE_ADD('1960-01-01', INTERVAL MOD(h3 DIV 200, 15000) DAY) END,
       CASE WHEN MOD(h4, 100) < 60 THEN 3.00 + MOD(h4 DIV 100, 200) / 100 ELSE 0.00 END,
       CASE WHEN MOD(h4, 100) < 60 THEN 1 + MOD(h4 DIV 20000, 150) ELSE 0 END,
       created, created
FROM (
  SELECT n, h1, h2, h3, h4, created,
         CASE WHEN MOD(h5, 100) < 25 THEN 1 WHEN MOD(h5, 100) < 45 THEN 2
              WHEN MOD(h5, 100) < 63 THEN 3 WHEN MOD(h5, 100) < 69 THEN 4
              WHEN MOD(h5, 100) < 77 THEN 5 WHEN MOD(h5, 100) < 82 THEN 6
              WHEN MOD(h5, 100) < 86 THEN 7 WHEN MOD(h5, 100) < 90 THEN 8
              WHEN MOD(h5, 100) < 96 THEN 9 ELSE 10 END AS occ
  FROM (
    SELECT n,
           CRC32(CONCAT('p1:', n)) AS h1, CRC32(CONCAT('p2:', n)) AS h2,
           CRC32(CONCAT('p3:', n)) AS h3, CRC32(CONCAT('p4:', n)) AS h4,
           CRC32(CONCAT('p5:', n)) AS h5,
           DATE_ADD(TIMESTAMP'2017-01-01 00:00:00', INTERVAL FLOOR(@span * SQRT((n - 0.5) / @n_users)) + 600 SECOND) AS created
    FROM _seq WHERE n <= @n_users
  ) b
) t;

-- ---------------------------------------------------------------- works
-- category: child rank r = floor((1 - u (1 - 281^-0.5))^-2), P(r) ~ r^-1.5.
-- client: a user who existed when the work was posted.
-- status by age: works posted in the last 45 days are mostly open (1), older ones
-- are completed (3) or closed (4), a few stay open, 3 % drafts (0) at any age.
-- deleted: 1.5 %. proposal_count: most works 0-2, 0.5 % popular ones 20-49.
INSERT INTO works (id, user_id, category_id, title, description, status, budget_from, budget_to,
                   deadline, started, proposal_count, deleted, created, modified)
SELECT n, user_id, category_id,
       CONCAT(ELT(1 + MOD(h1, 8), 'Looking for help with', 'Wanted:', 'Request:', 'Urgent:',
                  'Long-term partner for', 'Quick job:', 'Beginners welcome:', 'Please help with'),
              ' ',
              ELT(1 + MOD(category_id - 21, 20), 'a business system', 'our website', 'a logo and banners',
                  'blog articles', 'document translation', 'data entry', 'a promotional video',
                  'simple tasks', 'SNS marketing', 'a smartphone app', 'CAD drawings',
                  'a business plan', 'contract review', 'bookkeeping', 'online lessons',
                  'background music', 'game graphics', 'a data analysis', 'customer emails',
                  'a small project'),
              ' #', n),
       CONCAT('Budget and schedule are negotiable. Please include your portfolio and ',
              'delivery date in your proposal. Ref W', n),
       status,
       budget_from,
       CASE WHEN budget_from IS NULL THEN NULL
            ELSE budget_from * ELT(1 + MOD(h4 DIV 10, 4), 1, 1, 2, 3) END,
       CASE WHEN status = 0 THEN NULL
            ELSE DATE(DATE_ADD(created, INTERVAL 7 + MOD(h5, 30) DAY)) END,
       CASE WHEN status = 0 THEN NULL
            ELSE DATE_ADD(created, INTERVAL MOD(h5 DIV 30, 7200) SECOND) END,
       CASE WHEN status = 0 THEN 0
            WHEN MOD(h6, 200) = 0 THEN 20 + MOD(h6 DIV 200, 30)
            ELSE FLOOR(POW(MOD(h6 DIV 100, 10000) / 10000, 6) * 8) END,
       CASE WHEN MOD(h3 DIV 1000, 1000) < 15 THEN 1 ELSE 0 END,
       created, DATE_ADD(created, INTERVAL MOD(h5, 86400) SECOND)
FROM (
  SELECT n, h1, h3, h4, h5, h6, created,
         1 + FLOOR(MOD(h2, 1000003) / 1000003 * GREATEST(1, FLOOR(n * @n_users / @n_works))) AS user_id,
         20 + LEAST(280, FLOOR(POW(1 - MOD(h1 DIV 8, 1000003) / 1000003 * (1 - POW(281, -0.5)), -2))) AS category_id,
         CASE WHEN MOD(h3, 1000) < 30 THEN 0
              WHEN age < 45 * 86400 THEN
                CASE WHEN MOD(h3, 1000) < 880 THEN 1 WHEN MOD(h3, 1000) < 960 THEN 2 ELSE 4 END
              WHEN age < 120 * 86400 THEN
                CASE WHEN MOD(h3, 1000) < 130 THEN 1 WHEN MOD(h3, 1000) < 500 THEN 2
                     WHEN MOD(h3, 1000) < 800 THEN 3 ELSE 4 END
              ELSE
                CASE WHEN MOD(h3, 1000) < 36 THEN 1 WHEN MOD(h3, 1000) < 60 THEN 2
                     WHEN MOD(h3, 1000) < 700 THEN 3 ELSE 4 END
         END AS status,
         CASE WHEN MOD(h4, 10) = 0 THEN NULL
              ELSE ELT(1 + MOD(h4 DIV 40, 10), 1000, 3000, 5000, 10000, 10000, 30000, 50000,
                       100000, 300000, 500000) END AS budget_from
  FROM (
    SELECT n,
           CRC32(CONCAT('w1:', n)) AS h1, CRC32(CONCAT('w2:', n)) AS h2,
           CRC32(CONCAT('w3:', n)) AS h3, CRC32(CONCAT('w4:', n)) AS h4,
           CRC32(CONCAT('w5:', n)) AS h5, CRC32(CONCAT('w6:', n)) AS h6,
           DATE_ADD(TIMESTAMP'2017-01-01 00:00:00', INTERVAL FLOOR(@span * SQRT((n - 0.5) / @n_works)) SECOND) AS created,
           @span - FLOOR(@span * SQRT((n - 0.5) / @n_works)) AS age
    FROM _seq WHERE n <= @n_works
  ) b
) t;

-- ---------------------------------------------------------------- proposals
-- works.proposal_count proposals per work, the k-th from user
-- 1 + (hash(work) + k * 7919) mod users (distinct per work). Inserted in created
-- order so ids follow created.
INSERT INTO proposals (work_id, user_id, status, price, message, created, modified)
SELECT work_id, user_id, status, price, message, created, created
FROM (
  SELECT w.id AS work_id,
         1 + MOD(CRC32(CONCAT('pr:', w.id)) + s.k * 7919, @n_users) AS user_id,
         CASE WHEN w.status = 1 THEN IF(MOD(CRC32(CONCAT('ps:', w.id, ':', s.k)), 100) < 5, 4, 1)
              WHEN w.status IN (2, 3) THEN IF(s.k = 1, 2, 3)
              ELSE IF(MOD(CRC32(CONCAT('ps:', w.id, ':', s.k)), 100) < 20, 4, 3) END AS status,
         ROUND(COALESCE(w.budget_from, 20000) * (80 + MOD(CRC32(CONCAT('pp:', w.id, ':', s.k)), 60)) / 100, -2) AS price,
         CONCAT('Nice to meet you. I can start on W', w.id, ' right away.') AS message,
         DATE_ADD(w.started, INTERVAL s.k * (600 + MOD(CRC32(CONCAT('pt:', w.id)), 20000)) SECOND) AS created,
         s.k AS k
  FROM works w STRAIGHT_JOIN _pairs s ON s.cnt = w.proposal_count
) t
ORDER BY created, work_id, k;

-- ---------------------------------------------------------------- portfolios
-- Skewed owners: long-time members own most entries. 2 % deleted.
INSERT INTO portfolios (id, user_id, category_id, title, description, url, deleted, created, modified)
SELECT n,
       1 + FLOOR(POW(MOD(h1, 1000003) / 1000003, 2) * GREATEST(1, FLOOR(n * @n_users / @n_portfolios))),
       20 + LEAST(280, FLOOR(POW(1 - MOD(h2, 1000003) / 1000003 * (1 - POW(281, -0.5)), -2))),
       CONCAT(ELT(1 + MOD(h3, 6), 'Corporate site', 'Logo', 'Article series', 'Mobile app',
                  'Product video', 'Translation project'), ' for client ', MOD(h3 DIV 6, 5000)),
       'Scope, role, tools used and the outcome for the client.',
       CASE WHEN MOD(h3 DIV 30000, 10) < 3 THEN NULL
            ELSE CONCAT('https://portfolio.example.com/', n) END,
       CASE WHEN MOD(h4, 100) < 2 THEN 1 ELSE 0 END,
       created, created
FROM (
  SELECT n,
         CRC32(CONCAT('f1:', n)) AS h1, CRC32(CONCAT('f2:', n)) AS h2,
         CRC32(CONCAT('f3:', n)) AS h3, CRC32(CONCAT('f4:', n)) AS h4,
         DATE_ADD(TIMESTAMP'2017-01-01 00:00:00', INTERVAL FLOOR(@span * SQRT((n - 0.5) / @n_portfolios)) + 900 SECOND) AS created
  FROM _seq WHERE n <= @n_portfolios
) b;

-- ---------------------------------------------------------------- experiences
INSERT INTO experiences (id, user_id, company_name, job_title, started, ended, description, created, modified)
SELECT n,
       1 + FLOOR(MOD(h1, 1000003) / 1000003 * GREATEST(1, FLOOR(n * @n_users / @n_experiences))),
       CONCAT(ELT(1 + MOD(h2, 10), 'Sakura', 'Fuji', 'Aozora', 'Midori', 'Hikari', 'Nishi',
                  'Kita', 'Minato', 'Daiichi', 'Shinsei'),
              ' ', ELT(1 + MOD(h2 DIV 10, 5), 'Systems', 'Trading', 'Design', 'Media', 'Holdings'),
              ' Co., Ltd.'),
       ELT(1 + MOD(h3, 8), 'Engineer', 'Designer', 'Editor', 'Sales', 'Project manager',
           'Translator', 'Accountant', 'Director'),
       DATE_ADD('2000-01-01', INTERVAL MOD(h3 DIV 8, 8000) DAY),
       CASE WHEN MOD(h4, 10) < 3 THEN NULL
            ELSE DATE_ADD(DATE_ADD('2000-01-01', INTERVAL MOD(h3 DIV 8, 8000) DAY),
                          INTERVAL 90 + MOD(h4 DIV 10, 3000) DAY) END,
       'Main responsibilities and achievements.',
       created, created
FROM (
  SELECT n,
         CRC32(CONCAT('e1:', n)) AS h1, CRC32(CONCAT('e2:', n)) AS h2,
         CRC32(CONCAT('e3:', n)) AS h3, CRC32(CONCAT('e4:', n)) AS h4,
         DATE_ADD(TIMESTAMP'2017-01-01 00:00:00', INTERVAL FLOOR(@span * SQRT((n - 0.5) / @n_experiences)) + 1200 SECOND) AS created
  FROM _seq WHERE n <= @n_experiences
) b;

-- ---------------------------------------------------------------- skills
INSERT INTO skills (id, category_id, name, created, modified)
SELECT n, 1 + MOD(n - 1, 20),
       CONCAT(ELT(1 + MOD(n - 1, 50), 'PHP', 'CakePHP', 'Laravel', 'Ruby', 'Ruby on Rails',
                  'Python', 'Django', 'JavaScript', 'TypeScript', 'React', 'Vue.js', 'Node.js',
                  'Java', 'Kotlin', 'Swift', 'Go', 'C#', 'C++', 'MySQL', 'PostgreSQL', 'AWS',
                  'Docker', 'Linux', 'WordPress', 'HTML', 'CSS', 'Photoshop', 'Illustrator',
                  'Figma', 'Premiere Pro', 'After Effects', 'Blender', 'Unity', 'Excel', 'Word',
                  'PowerPoint', 'SEO', 'Copywriting', 'English to Japanese',
                  'Japanese to English', 'Accounting', 'Bookkeeping', 'Data entry',
                  'Customer support', 'Video editing', 'Photography', 'Logo design',
                  'Banner design', 'Illustration', 'Narration'),
              ELT(1 + (n - 1) DIV 50, '', ' (advanced)', ' (expert)', ' (teaching)', ' (review)',
                  ' (maintenance)', ' (consulting)', ' (automation)', ' (migration)', ' (support)')),
       TIMESTAMP'2017-01-01 00:00:00', TIMESTAMP'2017-01-01 00:00:00'
FROM _seq WHERE n <= 500
ORDER BY n;

-- ---------------------------------------------------------------- user_skills
-- 0-6 skills per user (mean ~2.1). Skill popularity is log-uniform over 1..500.
INSERT INTO user_skills (user_id, skill_id, level, years, created, modified)
SELECT u.id,
       1 + MOD(FLOOR(EXP(MOD(CRC32(CONCAT('k1:', u.id)), 1000003) / 1000003 * LN(501))) - 1
               + (s.k - 1) * 37, 500),
       1 + MOD(CRC32(CONCAT('k2:', u.id, ':', s.k)), 5),
       MOD(CRC32(CONCAT('k3:', u.id, ':', s.k)), 21),
       DATE_ADD(u.created, INTERVAL 3600 + s.k SECOND),
       DATE_ADD(u.created, INTERVAL 3600 + s.k SECOND)
FROM users u STRAIGHT_JOIN _pairs s
  ON s.cnt = ELT(1 + MOD(CRC32(CONCAT('k0:', u.id)), 10), 0, 0, 1, 1, 2, 2, 2, 3, 4, 6)
ORDER BY u.id, s.k;

-- ---------------------------------------------------------------- categorizations
-- Polymorphic links, in created order: every Work links its own category and 20 %
-- a second one (a sibling under the same parent), every Profile 0-3 categories,
-- every Portfolio its category.
INSERT INTO categorizations (category_id, categorization_type, categorization_id, created, modified)
SELECT category_id, ctype, cid, created, created
FROM (
  SELECT w.category_id, 'Work' AS ctype, w.id AS cid, w.created, 0 AS k
  FROM works w
  UNION ALL
  SELECT 21 + MOD(w.category_id - 21 + 20 * (1 + MOD(CRC32(CONCAT('cw:', w.id)), 13)), 280),
         'Work', w.id, w.created, 1
  FROM works w WHERE MOD(CRC32(CONCAT('cx:', w.id)), 100) < 20
  UNION ALL
  SELECT 20 + LEAST(280, FLOOR(POW(1 - MOD(CRC32(CONCAT('cp:', p.id, ':', s.k)), 1000003) / 1000003 * (1 - POW(281, -0.5)), -2))),
         'Profile', p.id, DATE_ADD(p.created, INTERVAL s.k SECOND), s.k
  FROM profiles p STRAIGHT_JOIN _pairs s
    ON s.cnt = ELT(1 + MOD(CRC32(CONCAT('cq:', p.id)), 4), 0, 1, 2, 3)
  UNION ALL
  SELECT f.category_id, 'Portfolio', f.id, f.created, 0
  FROM portfolios f
) t
ORDER BY created, ctype, cid, k;

-- ---------------------------------------------------------------- helps
INSERT INTO helps (id, section, title, body, sort_order, created, modified)
SELECT n,
       ELT(1 + MOD(n - 1, 6), 'beginner', 'client', 'freelancer', 'payment', 'account', 'trouble'),
       CONCAT(ELT(1 + MOD(n - 1, 6), 'Getting started', 'For clients', 'For freelancers',
                  'Payments', 'Your account', 'Troubleshooting'),
              ': question ', 1 + (n - 1) DIV 6),
       CONCAT('Answer to question ', 1 + (n - 1) DIV 6, '. ',
              REPEAT('This article explains the steps in detail. ', 8)),
       1 + (n - 1) DIV 6,
       TIMESTAMP'2017-01-01 00:00:00', TIMESTAMP'2017-01-01 00:00:00'
FROM _seq WHERE n <= 120
ORDER BY n;

-- ---------------------------------------------------------------- counter caches
UPDATE categories c
JOIN (SELECT category_id, COUNT(*) AS cnt FROM works
      WHERE deleted = 0 AND status = 1 GROUP BY category_id) w ON w.category_id = c.id
SET c.work_count = w.cnt;
UPDATE categories c
JOIN (SELECT parent_id, SUM(work_count) AS cnt FROM categories
      WHERE parent_id IS NOT NULL GROUP BY parent_id) k ON k.parent_id = c.id
SET c.work_count = k.cnt;

DROP TABLE _pairs;
DROP TABLE _seq;
DROP TABLE _k1000;
DROP TABLE _digits;

-- Fresh statistics everywhere except the planted stale table (experiences).
ANALYZE TABLE users, profiles, categories, works, categorizations, proposals, portfolios,
              skills, user_skills, helps;
