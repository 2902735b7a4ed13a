-- A screen whose query the server refuses: the column is not in the table.
SELECT id, nope FROM items WHERE id = 1;
