-- Restore works.budget_from exactly as schema.sql defines it.
ALTER TABLE works ADD INDEX budget_from (budget_from);
