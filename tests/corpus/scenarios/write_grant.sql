GRANT ALL ON *.* TO 'x'@'%';
