-- Drop works.created: top's "new works" list can order by id instead (slide 35, lesson 1;
-- sqlmeasure indexes' order-by-created finding). Two screens disagree: top still orders by
-- created (a full scan and a filesort without the index), and works_feed forces the index by
-- name, so its query fails ([1176]): verdict `error`.
ALTER TABLE works DROP INDEX created;
