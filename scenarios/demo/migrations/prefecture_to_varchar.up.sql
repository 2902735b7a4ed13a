-- Store prefectures as text codes. The screens still compare prefecture_id with numbers
-- (profile_search: `p.prefecture_id = 13`), and a string column compared with a number cannot
-- be looked up in an index: prefecture_id_occupation is read whole instead of by key, and the
-- server says why in a note on EXPLAIN (MariaDB 1105 "Cannot use key ... for lookup", MySQL
-- 1739 "Cannot use ref access ... due to type or collation conversion"). `--fail-on warnings`
-- fails on the new note.
ALTER TABLE profiles MODIFY prefecture_id VARCHAR(8) NOT NULL COMMENT '1..47, 13 = Tokyo';
