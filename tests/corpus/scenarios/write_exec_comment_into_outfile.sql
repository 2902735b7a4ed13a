SELECT * FROM t /*!INTO OUTFILE '/tmp/x' */;
