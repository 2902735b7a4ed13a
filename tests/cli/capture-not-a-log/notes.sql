-- not a log
SELECT 1;
