REVOKE ALL ON *.* FROM 'x'@'%';
