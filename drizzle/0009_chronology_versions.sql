CREATE SEQUENCE "public"."chronology_version_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "chronology_versions" (
	"review_id" uuid PRIMARY KEY NOT NULL,
	"version" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "chronology_versions" ADD CONSTRAINT "chronology_versions_review_id_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."reviews"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Every change that can alter a review's merged chronology or its practice signals gives the review
-- a new version from the sequence (never reused, not even after a rollback). Statement triggers
-- with transition tables: one bump per statement, not per row, so a 5,000-row insert costs one.
-- Draft entries of requests not yet accepted do not change the merged chronology and bump nothing.
CREATE FUNCTION "bump_chronology_versions"(review_ids uuid[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO chronology_versions (review_id, version)
  SELECT d.review_id, nextval('chronology_version_seq')
  FROM (SELECT DISTINCT unnest(review_ids) AS review_id) d
  WHERE EXISTS (SELECT 1 FROM reviews r WHERE r.id = d.review_id)
  ON CONFLICT (review_id) DO UPDATE SET version = excluded.version
$$;
--> statement-breakpoint
CREATE FUNCTION "chronology_entries_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM bump_chronology_versions(ARRAY(
      SELECT DISTINCT n.review_id FROM new_rows n
      JOIN agency_requests q ON q.id = n.request_id WHERE q.status = 'accepted'));
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM bump_chronology_versions(ARRAY(
      SELECT DISTINCT o.review_id FROM old_rows o
      JOIN agency_requests q ON q.id = o.request_id WHERE q.status = 'accepted'));
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "chronology_entries_inserted" AFTER INSERT ON "chronology_entries"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION chronology_entries_changed();
--> statement-breakpoint
CREATE TRIGGER "chronology_entries_updated" AFTER UPDATE ON "chronology_entries"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION chronology_entries_changed();
--> statement-breakpoint
CREATE TRIGGER "chronology_entries_deleted" AFTER DELETE ON "chronology_entries"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION chronology_entries_changed();
--> statement-breakpoint
-- A return accepted, or taken back out of the merged chronology (returned, withdrawn, deleted).
CREATE FUNCTION "agency_requests_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM bump_chronology_versions(ARRAY(SELECT n.review_id FROM new_rows n WHERE n.status = 'accepted'));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM bump_chronology_versions(ARRAY(SELECT o.review_id FROM old_rows o WHERE o.status = 'accepted'));
  ELSE
    PERFORM bump_chronology_versions(ARRAY(
      SELECT n.review_id FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE (n.status = 'accepted' OR o.status = 'accepted')
        AND (n.status IS DISTINCT FROM o.status OR n.submitted_by IS DISTINCT FROM o.submitted_by
          OR n.agency_id IS DISTINCT FROM o.agency_id OR n.review_id IS DISTINCT FROM o.review_id)));
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "agency_requests_inserted" AFTER INSERT ON "agency_requests"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION agency_requests_changed();
--> statement-breakpoint
CREATE TRIGGER "agency_requests_updated" AFTER UPDATE ON "agency_requests"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION agency_requests_changed();
--> statement-breakpoint
CREATE TRIGGER "agency_requests_deleted" AFTER DELETE ON "agency_requests"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION agency_requests_changed();
--> statement-breakpoint
-- The child's date of birth gives the age at each entry.
CREATE FUNCTION "review_subjects_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM bump_chronology_versions(ARRAY(SELECT n.review_id FROM new_rows n));
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM bump_chronology_versions(ARRAY(SELECT o.review_id FROM old_rows o));
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "review_subjects_inserted" AFTER INSERT ON "review_subjects"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION review_subjects_changed();
--> statement-breakpoint
CREATE TRIGGER "review_subjects_updated" AFTER UPDATE ON "review_subjects"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION review_subjects_changed();
--> statement-breakpoint
CREATE TRIGGER "review_subjects_deleted" AFTER DELETE ON "review_subjects"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION review_subjects_changed();
--> statement-breakpoint
-- The merged chronology shows each agency's name and code, and who submitted the return.
CREATE FUNCTION "agencies_renamed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM bump_chronology_versions(ARRAY(
    SELECT q.review_id FROM new_rows n JOIN old_rows o ON o.id = n.id
    JOIN agency_requests q ON q.agency_id = n.id AND q.status = 'accepted'
    WHERE n.name IS DISTINCT FROM o.name OR n.code IS DISTINCT FROM o.code));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "agencies_renamed" AFTER UPDATE ON "agencies"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION agencies_renamed();
--> statement-breakpoint
CREATE FUNCTION "users_renamed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM bump_chronology_versions(ARRAY(
    SELECT q.review_id FROM new_rows n JOIN old_rows o ON o.id = n.id
    JOIN agency_requests q ON q.submitted_by = n.id AND q.status = 'accepted'
    WHERE n.name IS DISTINCT FROM o.name));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "users_renamed" AFTER UPDATE ON "users"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION users_renamed();
