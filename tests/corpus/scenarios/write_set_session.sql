SET SESSION sql_mode = "";
