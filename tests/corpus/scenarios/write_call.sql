CALL p();
