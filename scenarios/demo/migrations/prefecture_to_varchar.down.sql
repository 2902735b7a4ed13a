-- Back to the number schema.sql defines.
ALTER TABLE profiles MODIFY prefecture_id TINYINT UNSIGNED NOT NULL COMMENT '1..47, 13 = Tokyo';
