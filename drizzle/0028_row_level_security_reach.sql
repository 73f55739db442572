-- Row-level security reaches every table that holds a partnership's or a review's rows, and an
-- agency's draft return is its own (issue 13: "a bug in a query cannot return another
-- partnership's or another agency's rows").
--
-- The actor's agency for this transaction; null when none is set (src/db/actor-scope.ts).
CREATE OR REPLACE FUNCTION los_agency() RETURNS uuid AS $$
  SELECT nullif(current_setting('los.agency_id', true), '')::uuid;
$$ LANGUAGE sql STABLE;
--> statement-breakpoint
-- An agency's return (its entries, its self-analysis) is read and written by that agency's own
-- people; others see it once it is submitted or accepted. The same rule as the data layer's
-- `mayReadReturn` (src/db/repositories/return-repository.ts), from the policy's "read one's own
-- agency's return" and "read another agency's return once it is submitted"; a test holds the two
-- statuses equal to RETURN_STATUSES_OTHERS_READ in src/domain/chronology/requests.ts.
DROP POLICY los_review ON chronology_entries;
--> statement-breakpoint
CREATE POLICY los_review ON chronology_entries
  USING (review_id IN (SELECT r.id FROM reviews r)
         AND (agency_id = (SELECT los_agency())
              OR request_id IN (SELECT q.id FROM agency_requests q WHERE q.status IN ('submitted', 'accepted'))))
  WITH CHECK (review_id IN (SELECT r.id FROM reviews r)
         AND (agency_id = (SELECT los_agency())
              OR request_id IN (SELECT q.id FROM agency_requests q WHERE q.status IN ('submitted', 'accepted'))));
--> statement-breakpoint
ALTER TABLE self_analysis_answers ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY los_agency_return ON self_analysis_answers
  USING (request_id IN (SELECT q.id FROM agency_requests q
                        WHERE q.agency_id = (SELECT los_agency()) OR q.status IN ('submitted', 'accepted')))
  WITH CHECK (request_id IN (SELECT q.id FROM agency_requests q
                        WHERE q.agency_id = (SELECT los_agency()) OR q.status IN ('submitted', 'accepted')));
--> statement-breakpoint
-- Every other table whose rows belong to a partnership or a review only through another table (a
-- briefing's versions, an episode's links, an action's updates, a person's sessions and tokens,
-- the monitoring dataset's entries): a row is seen only when the row it belongs to is. The owning
-- reference is the first non-null one, in column order, to a table already under a policy; the
-- loop runs until no table is left that has one (a chain, e.g. an amendment → its entry).
DO $$
DECLARE
  t record;
  placed integer;
  by_person boolean;
BEGIN
  -- A person's own rows (sessions, tokens) belong through `users`; anything with a structural
  -- owner as well (a finding's acceptance → its briefing's version) goes through that owner.
  FOREACH by_person IN ARRAY ARRAY[false, true] LOOP
  LOOP
    placed := 0;
    FOR t IN
      SELECT DISTINCT ON (c.oid) c.relname AS child, a.attname AS col, p.relname AS parent
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
      JOIN pg_constraint k ON k.conrelid = c.oid AND k.contype = 'f' AND array_length(k.conkey, 1) = 1
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.conkey[1]
      JOIN pg_class p ON p.oid = k.confrelid AND p.relrowsecurity
      JOIN pg_attribute pa ON pa.attrelid = p.oid AND pa.attnum = k.confkey[1] AND pa.attname = 'id'
      WHERE c.relkind = 'r' AND NOT c.relrowsecurity AND (by_person OR p.relname <> 'users')
      ORDER BY c.oid, a.attnotnull DESC, a.attnum
    LOOP
      EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t.child);
      EXECUTE format(
        'CREATE POLICY los_through ON %I USING (%I IN (SELECT x.id FROM %I x)) WITH CHECK (%I IN (SELECT x.id FROM %I x))',
        t.child, t.col, t.parent, t.col, t.parent);
      placed := placed + 1;
    END LOOP;
    EXIT WHEN placed = 0;
  END LOOP;
  END LOOP;
END
$$;
