SET GLOBAL max_connections = 1;
