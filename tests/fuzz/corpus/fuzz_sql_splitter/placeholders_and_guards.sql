SELECT @a:=1, a::int, '12:30', :p1, :_p2 FROM t WHERE x = ?;
/*M!100100 SELECT */ 1;
SELECT * FROM t FOR UPDATE;
