-- Drop works.budget_from: work_search_all_budgetfrom's list falls back to a full scan of
-- works (300k rows at scale 1) with a filesort, a screen much heavier than the light
-- screens visited beside it. The next one, work_search_all_deadline, reads works too but
-- through works.deadline: its plan and rows examined stay as they were.
ALTER TABLE works DROP INDEX budget_from;
