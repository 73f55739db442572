-- PostgreSQL enforces the access policy too (defence in depth). The application's use cases run
-- in transactions that take the role line_of_sight_app, which owns nothing and is under row-level
-- security, with the actor's partnership (and id and agency) set for the transaction only
-- (src/db/actor-scope.ts). With no actor set it reads nothing; as one partnership's actor, a
-- hand-written `select *` returns none of another partnership's rows. Migrations, the scheduled
-- jobs and the commands (retention, the population scan, backup) keep the owner's role.
DO $$
BEGIN
  CREATE ROLE line_of_sight_app NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL; -- made by another database of the same server
END
$$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO line_of_sight_app;
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO line_of_sight_app;
--> statement-breakpoint
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO line_of_sight_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO line_of_sight_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO line_of_sight_app;
--> statement-breakpoint
-- The actor's partnership for this transaction; null (and so no rows) when none is set.
CREATE OR REPLACE FUNCTION los_partnership() RETURNS uuid AS $$
  SELECT nullif(current_setting('los.partnership_id', true), '')::uuid;
$$ LANGUAGE sql STABLE;
--> statement-breakpoint
-- Every table that holds a partnership's rows: only that partnership's. Every table of a review's
-- parts: only rows of a review the first rule lets through. (The partnership is read once per
-- statement, `(SELECT ...)`, and a review's parts are matched against the set of visible reviews,
-- not one lookup per row: measured in bench/actor-scope.ts.) Audit rows and e-mails of no
-- partnership (a sign-in of no one known) may be written, never read.
DO $$
DECLARE
  t record;
BEGIN
  FOR t IN
    SELECT c.table_name,
           bool_or(c.column_name = 'partnership_id') AS by_partnership,
           bool_or(c.column_name = 'review_id') AS by_review
    FROM information_schema.columns c
    JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name
    WHERE c.table_schema = 'public' AND tb.table_type = 'BASE TABLE'
    GROUP BY c.table_name
    HAVING bool_or(c.column_name IN ('partnership_id', 'review_id'))
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t.table_name);
    IF t.by_partnership AND t.table_name IN ('audit_events', 'outbound_emails') THEN
      EXECUTE format(
        'CREATE POLICY los_partnership ON %I USING (partnership_id = (SELECT los_partnership()))
           WITH CHECK (partnership_id = (SELECT los_partnership()) OR partnership_id IS NULL)', t.table_name);
    ELSIF t.by_partnership THEN
      EXECUTE format(
        'CREATE POLICY los_partnership ON %I USING (partnership_id = (SELECT los_partnership()))
           WITH CHECK (partnership_id = (SELECT los_partnership()))', t.table_name);
    ELSE
      EXECUTE format(
        'CREATE POLICY los_review ON %I USING (review_id IN (SELECT r.id FROM reviews r))
           WITH CHECK (review_id IN (SELECT r.id FROM reviews r))', t.table_name);
    END IF;
  END LOOP;
END
$$;
--> statement-breakpoint
-- The partnership itself: only the actor's own.
ALTER TABLE partnerships ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY los_partnership ON partnerships USING (id = (SELECT los_partnership()))
  WITH CHECK (id = (SELECT los_partnership()));
