-- Tamper evidence for the audit log. Every row is chained, as it is written, to the row before it
-- in its chain (one chain per partnership, 'global' for rows of none): its place (chain_seq), the
-- previous row's hash and the SHA-256 of that hash with this row's canonical content. The chain's
-- head is locked while a row is added, so a chain has one order with any number of instances, and
-- the row's time is the database's clock read under that lock: a row cannot be back-dated.
-- `line-of-sight audit verify` recomputes every hash; signed checkpoints (audit_checkpoints, keyed
-- outside the database) catch a chain rewritten from scratch.

-- The canonical content of a row: a JSON array of every column but the chain's own, in one order.
CREATE OR REPLACE FUNCTION audit_event_content(e audit_events) RETURNS text AS $$
  SELECT jsonb_build_array(
    e.chain, e.chain_seq, to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    e.partnership_id, e.user_id, e.user_email, e.request_id, e.source_address, e.action, e.outcome,
    e.review_id, e.review_reference, e.subject_type, e.subject_id, e.detail
  )::text;
$$ LANGUAGE sql IMMUTABLE;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_event_hash(prev text, content text) RETURNS text AS $$
  SELECT encode(sha256(convert_to(prev || content, 'UTF8')), 'hex');
$$ LANGUAGE sql IMMUTABLE;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_events_chain() RETURNS trigger AS $$
DECLARE
  head audit_chain_heads%ROWTYPE;
BEGIN
  NEW.chain := coalesce(NEW.partnership_id::text, 'global');
  SELECT * INTO head FROM audit_chain_heads WHERE chain = NEW.chain FOR UPDATE;
  IF NOT FOUND THEN
    INSERT INTO audit_chain_heads (chain, seq, hash) VALUES (NEW.chain, 0, repeat('0', 64))
      ON CONFLICT (chain) DO NOTHING;
    SELECT * INTO head FROM audit_chain_heads WHERE chain = NEW.chain FOR UPDATE;
  END IF;
  NEW.at := clock_timestamp();
  NEW.chain_seq := head.seq + 1;
  NEW.prev_hash := head.hash;
  NEW.row_hash := audit_event_hash(head.hash, audit_event_content(NEW));
  UPDATE audit_chain_heads SET seq = NEW.chain_seq, hash = NEW.row_hash WHERE chain = NEW.chain;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- Rows written before the chain existed are chained now, in the order they were written.
ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only;
--> statement-breakpoint
DO $$
DECLARE
  r audit_events%ROWTYPE;
  prev text;
  n bigint;
BEGIN
  FOR r IN SELECT * FROM audit_events ORDER BY coalesce(partnership_id::text, 'global'), at, id LOOP
    r.chain := coalesce(r.partnership_id::text, 'global');
    SELECT seq, hash INTO n, prev FROM audit_chain_heads WHERE chain = r.chain;
    IF NOT FOUND THEN
      n := 0;
      prev := repeat('0', 64);
      INSERT INTO audit_chain_heads (chain, seq, hash) VALUES (r.chain, 0, prev);
    END IF;
    r.chain_seq := n + 1;
    r.prev_hash := prev;
    r.row_hash := audit_event_hash(prev, audit_event_content(r));
    UPDATE audit_events SET chain = r.chain, chain_seq = r.chain_seq, prev_hash = r.prev_hash, row_hash = r.row_hash
      WHERE id = r.id;
    UPDATE audit_chain_heads SET seq = r.chain_seq, hash = r.row_hash WHERE chain = r.chain;
  END LOOP;
END $$;
--> statement-breakpoint
ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only;
--> statement-breakpoint
CREATE TRIGGER audit_events_chain BEFORE INSERT ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_chain();
--> statement-breakpoint
-- TRUNCATE skips row triggers: refuse it on the log and on its chain heads.
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_chain_heads_no_truncate BEFORE TRUNCATE ON audit_chain_heads
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();
--> statement-breakpoint
-- Checkpoints are append-only too.
CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints
  FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();
