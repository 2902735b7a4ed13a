-- Drop the index the work_search_<category> screens live on (list, count and tags
-- queries filter works by category_id). Expected: those screens get much slower
-- (ref on category_id_status_started -> full table scan of works plus filesort).
-- No other screen uses the index, so nothing else changes.
ALTER TABLE works DROP INDEX category_id_status_started;
