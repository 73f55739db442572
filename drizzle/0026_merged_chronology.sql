CREATE TABLE "merged_chronology" (
	"review_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"entry_id" uuid NOT NULL,
	"agency" text NOT NULL,
	"agency_name" text NOT NULL,
	"date" text NOT NULL,
	"event_type" text NOT NULL,
	"concerns" text[] NOT NULL,
	"child_seen" text,
	"same_event_key" text,
	"days_since" integer,
	"days_approximate" boolean NOT NULL,
	"duplicate_of" text,
	CONSTRAINT "merged_chronology_review_id_position_pk" PRIMARY KEY("review_id","position")
);
--> statement-breakpoint
CREATE TABLE "merged_chronology_versions" (
	"review_id" uuid PRIMARY KEY NOT NULL,
	"version" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "merged_chronology_versions" ADD CONSTRAINT "merged_chronology_versions_review_id_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."reviews"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- A review's merged rows go when any of its entries is deleted (and so with the review, whose
-- deletion cascades to its entries): the next reader works the merge out again.
CREATE FUNCTION "merged_chronology_forget"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM merged_chronology m WHERE m.review_id IN (SELECT DISTINCT o.review_id FROM old_rows o);
  DELETE FROM merged_chronology_versions v WHERE v.review_id IN (SELECT DISTINCT o.review_id FROM old_rows o);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER merged_chronology_entries_deleted AFTER DELETE ON chronology_entries
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION merged_chronology_forget();
--> statement-breakpoint
-- A review's parts: only rows of a review the actor may see (drizzle/0020).
ALTER TABLE merged_chronology ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY los_review ON merged_chronology USING (review_id IN (SELECT r.id FROM reviews r))
  WITH CHECK (review_id IN (SELECT r.id FROM reviews r));
--> statement-breakpoint
ALTER TABLE merged_chronology_versions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY los_review ON merged_chronology_versions USING (review_id IN (SELECT r.id FROM reviews r))
  WITH CHECK (review_id IN (SELECT r.id FROM reviews r));
