-- name: first
SELECT 1;
-- name: exec
/*!50000 SELECT */ 2 FROM dual;
# comment
SELECT `odd;name` FROM t WHERE a = 'x;y' AND b = "z" -- trailing
;
WITH x AS (SELECT 1) SELECT * FROM x;
(SELECT 1) UNION (SELECT 2);
