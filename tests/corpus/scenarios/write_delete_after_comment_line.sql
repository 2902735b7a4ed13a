-- a comment
DELETE FROM t;
