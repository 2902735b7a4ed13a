SELECT `abc FROM t;
