CREATE SEQUENCE "public"."learning_figures_version_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "learning_figures_versions" (
	"partnership_id" uuid PRIMARY KEY NOT NULL,
	"version" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "learning_figures_versions" ADD CONSTRAINT "learning_figures_versions_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Every change that can alter a partnership's recurrence of themes or its board's dashboard gives
-- the partnership a new version from the sequence (never reused, not even after a rollback), so the
-- figures worked out for a version can be reused until then (src/services/versioned-cache.ts).
-- Statement triggers with transition tables: one bump per statement and partnership, not per row.
-- Each table names the column that leads to its partnership (TG_ARGV[0]) and what it refers to
-- (TG_ARGV[1]); a row whose review, action or briefing went in the same statement is covered by
-- that parent's own trigger.
CREATE FUNCTION "bump_learning_figures"(partnership_ids uuid[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO learning_figures_versions (partnership_id, version)
  SELECT d.id, nextval('learning_figures_version_seq')
  FROM (SELECT DISTINCT unnest(partnership_ids) AS id) d
  WHERE EXISTS (SELECT 1 FROM partnerships p WHERE p.id = d.id)
  ON CONFLICT (partnership_id) DO UPDATE SET version = excluded.version
$$;
--> statement-breakpoint
CREATE FUNCTION "learning_figures_partnerships"(kind text, ids uuid[]) RETURNS uuid[] LANGUAGE sql STABLE AS $$
  SELECT ARRAY(
    SELECT x.id FROM unnest(ids) AS x(id) WHERE kind = 'partnership'
    UNION SELECT r.partnership_id FROM reviews r WHERE kind = 'review' AND r.id = ANY (ids)
    UNION SELECT r.partnership_id FROM review_actions a JOIN reviews r ON r.id = a.review_id
          WHERE kind = 'action' AND a.id = ANY (ids)
    UNION SELECT r.partnership_id FROM learning_statements s JOIN reviews r ON r.id = s.review_id
          WHERE kind = 'statement' AND s.id = ANY (ids)
    UNION SELECT p.partnership_id FROM practice_audits p WHERE kind = 'audit' AND p.id = ANY (ids)
    UNION SELECT b.partnership_id FROM briefings b WHERE kind = 'briefing' AND b.id = ANY (ids))
$$;
--> statement-breakpoint
CREATE FUNCTION "learning_figures_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  keys uuid[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    EXECUTE format('SELECT ARRAY(SELECT DISTINCT %I FROM new_rows)', TG_ARGV[0]) INTO keys;
  ELSIF TG_OP = 'DELETE' THEN
    EXECUTE format('SELECT ARRAY(SELECT DISTINCT %I FROM old_rows)', TG_ARGV[0]) INTO keys;
  ELSE
    EXECUTE format('SELECT ARRAY(SELECT %1$I FROM new_rows UNION SELECT %1$I FROM old_rows)', TG_ARGV[0]) INTO keys;
  END IF;
  PERFORM bump_learning_figures(learning_figures_partnerships(TG_ARGV[1], keys));
  RETURN NULL;
END
$$;
--> statement-breakpoint
DO $$
DECLARE
  t record;
BEGIN
  FOR t IN SELECT * FROM (VALUES
    ('reviews', 'partnership_id', 'partnership'),
    ('agencies', 'partnership_id', 'partnership'),
    ('learning_themes', 'partnership_id', 'partnership'),
    ('practice_audits', 'partnership_id', 'partnership'),
    ('monitoring_imports', 'partnership_id', 'partnership'),
    ('monitored_children', 'partnership_id', 'partnership'),
    ('briefings', 'partnership_id', 'partnership'),
    ('referrals', 'review_id', 'review'),
    ('screening_decisions', 'review_id', 'review'),
    ('review_agencies', 'review_id', 'review'),
    ('review_members', 'review_id', 'review'),
    ('agency_requests', 'review_id', 'review'),
    ('review_actions', 'review_id', 'review'),
    ('learning_statements', 'review_id', 'review'),
    ('action_updates', 'action_id', 'action'),
    ('action_learning_statements', 'action_id', 'action'),
    ('learning_statement_themes', 'statement_id', 'statement'),
    ('practice_audit_rounds', 'audit_id', 'audit'),
    ('briefing_themes', 'briefing_id', 'briefing'),
    ('briefing_versions', 'briefing_id', 'briefing')
  ) AS v(name, key, kind) LOOP
    EXECUTE format('CREATE TRIGGER learning_figures_inserted AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION learning_figures_changed(%L, %L)', t.name, t.key, t.kind);
    EXECUTE format('CREATE TRIGGER learning_figures_updated AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION learning_figures_changed(%L, %L)', t.name, t.key, t.kind);
    EXECUTE format('CREATE TRIGGER learning_figures_deleted AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows
      FOR EACH STATEMENT EXECUTE FUNCTION learning_figures_changed(%L, %L)', t.name, t.key, t.kind);
  END LOOP;
END
$$;
--> statement-breakpoint
-- Only the actor's own partnership's version (drizzle/0020).
ALTER TABLE learning_figures_versions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY los_partnership ON learning_figures_versions USING (partnership_id = (SELECT los_partnership()))
  WITH CHECK (partnership_id = (SELECT los_partnership()));
