-- Add an index on the works.deleted flag: 2 distinct values, ~98.5 % of rows are 0,
-- the kind of index slide 35 says to review. It cannot narrow a "deleted = 0"
-- search and costs every write to works.
ALTER TABLE works ADD INDEX deleted (deleted);
