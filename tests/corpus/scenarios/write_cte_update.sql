WITH x AS (SELECT 1 AS a) UPDATE t JOIN x ON t.a = x.a SET t.b = 1;
