-- Publication safety (issue 12). A briefing version is approved or published only with an
-- identifying-details check of its content as it is: any change of content clears the check
-- (trigger), and an approved or published version must carry one (constraint). Versions published
-- before this migration (imports were published unchecked) are not re-validated: NOT VALID binds
-- every row written from now on.
CREATE FUNCTION "briefing_content_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.content IS DISTINCT FROM OLD.content THEN
    NEW.findings := NULL;
    NEW.checked_at := NULL;
    NEW.checked_by := NULL;
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "briefing_versions_content_changed" BEFORE UPDATE OF "content" ON "briefing_versions"
  FOR EACH ROW EXECUTE FUNCTION briefing_content_changed();
--> statement-breakpoint
ALTER TABLE "briefing_versions" ADD CONSTRAINT "briefing_versions_checked_before_approval"
  CHECK ("state" IN ('draft', 'in_review') OR "checked_at" IS NOT NULL) NOT VALID;
--> statement-breakpoint
-- Findings now say their kind in a person's words (person, place, address, institution, date,
-- contact, health-number), with a reason and advice, instead of one message: stored checks and
-- the acceptances that name them by kind are rewritten in the new shape.
CREATE FUNCTION "briefing_finding_kind"(old_kind text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE old_kind
    WHEN 'name' THEN 'person' WHEN 'practitioner' THEN 'person' WHEN 'possible-full-name' THEN 'person'
    WHEN 'date-of-birth' THEN 'date' WHEN 'possible-birth-date' THEN 'date'
    WHEN 'postcode' THEN 'address' WHEN 'school' THEN 'institution'
    WHEN 'phone' THEN 'contact' WHEN 'email' THEN 'contact' WHEN 'nhs-number' THEN 'health-number'
    ELSE old_kind END
$$;
--> statement-breakpoint
UPDATE "briefing_versions" SET "findings" = (
  SELECT coalesce(jsonb_agg(
    (f - 'message') || jsonb_build_object(
      'kind', briefing_finding_kind(f->>'kind'),
      'reason', rtrim(coalesce(f->>'message', ''), '.'),
      'advice', '')  -- the advice of its kind is given when it is read (src/services/finding-views.ts)
    ORDER BY n), '[]'::jsonb)
  FROM jsonb_array_elements("findings") WITH ORDINALITY AS e(f, n))
WHERE jsonb_typeof("findings") = 'array' AND "findings"::text LIKE '%"message"%';
--> statement-breakpoint
UPDATE "briefing_finding_acceptances" SET "fingerprint" =
  split_part("fingerprint", '|', 1) || '|' || split_part("fingerprint", '|', 2) || '|' ||
  briefing_finding_kind(split_part("fingerprint", '|', 3)) ||
  substr("fingerprint", length(split_part("fingerprint", '|', 1)) + length(split_part("fingerprint", '|', 2)) +
    length(split_part("fingerprint", '|', 3)) + 3)
WHERE split_part("fingerprint", '|', 3) <> briefing_finding_kind(split_part("fingerprint", '|', 3));
--> statement-breakpoint
DROP FUNCTION "briefing_finding_kind"(text);
