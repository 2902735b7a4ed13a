-- Put works.created back (it is listed last afterwards; the schema check ignores index order).
ALTER TABLE works ADD INDEX created (created);
