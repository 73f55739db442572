-- The board's dashboard counts a review past the partnership's own target (weeks from screening to
-- the published briefing, kept on the partnership): a change to the partnership gives its learning
-- figures a new version too (drizzle/0023).
CREATE TRIGGER learning_figures_inserted AFTER INSERT ON partnerships REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION learning_figures_changed('id', 'partnership');
--> statement-breakpoint
CREATE TRIGGER learning_figures_updated AFTER UPDATE ON partnerships REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION learning_figures_changed('id', 'partnership');
--> statement-breakpoint
CREATE TRIGGER learning_figures_deleted AFTER DELETE ON partnerships REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION learning_figures_changed('id', 'partnership');
