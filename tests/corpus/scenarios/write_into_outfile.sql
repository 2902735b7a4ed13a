SELECT * FROM t INTO OUTFILE '/tmp/t.txt';
