-- A composite index for a freelancer's portfolio list: (user_id, deleted, id) serves
-- `WHERE user_id = ? AND deleted = 0 ORDER BY id DESC` in index order. mypage_portfolio_lists'
-- list query cannot use it: its FORCE INDEX (PRIMARY) keeps it on a backward scan of the
-- whole table. The compare times that query without its hint too and says so.
ALTER TABLE portfolios ADD INDEX user_deleted_id (user_id, deleted, id);
