/*! DELETE FROM t */;
