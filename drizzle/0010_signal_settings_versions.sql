-- A partnership's signal thresholds decide which practice signals its reviews' chronologies raise:
-- a change to them gives each of its reviews a new version (0009), so what was worked out with the
-- old thresholds is not reused and the thresholds need not be read on every view.
CREATE FUNCTION "signal_settings_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM bump_chronology_versions(ARRAY(
      SELECT r.id FROM reviews r JOIN new_rows n ON n.partnership_id = r.partnership_id));
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM bump_chronology_versions(ARRAY(
      SELECT r.id FROM reviews r JOIN old_rows o ON o.partnership_id = r.partnership_id));
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "signal_settings_inserted" AFTER INSERT ON "signal_settings"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION signal_settings_changed();
--> statement-breakpoint
CREATE TRIGGER "signal_settings_updated" AFTER UPDATE ON "signal_settings"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION signal_settings_changed();
--> statement-breakpoint
CREATE TRIGGER "signal_settings_deleted" AFTER DELETE ON "signal_settings"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION signal_settings_changed();
