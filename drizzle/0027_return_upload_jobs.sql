CREATE TABLE "return_upload_jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"review_id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"format" text NOT NULL,
	"status" text NOT NULL,
	"phase" text,
	"bytes_total" integer,
	"bytes_read" integer DEFAULT 0 NOT NULL,
	"rows_read" integer DEFAULT 0 NOT NULL,
	"entries" integer DEFAULT 0 NOT NULL,
	"error" text,
	"problems" jsonb,
	"more_problems" integer DEFAULT 0 NOT NULL,
	"started_by" uuid,
	"started_by_label" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"heartbeat_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"upload_path" text,
	"claimed_by" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"cancel_requested_at" timestamp with time zone,
	"cancelled_by" text
);
--> statement-breakpoint
ALTER TABLE "return_upload_jobs" ADD CONSTRAINT "return_upload_jobs_review_id_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."reviews"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "return_upload_jobs" ADD CONSTRAINT "return_upload_jobs_request_id_agency_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."agency_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "return_upload_jobs" ADD CONSTRAINT "return_upload_jobs_started_by_users_id_fk" FOREIGN KEY ("started_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "return_upload_jobs_request" ON "return_upload_jobs" USING btree ("request_id","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "return_upload_jobs_active" ON "return_upload_jobs" USING btree ("request_id") WHERE "return_upload_jobs"."status" in ('queued', 'loading');--> statement-breakpoint
ALTER TABLE return_upload_jobs ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY los_review ON return_upload_jobs USING (review_id IN (SELECT r.id FROM reviews r))
  WITH CHECK (review_id IN (SELECT r.id FROM reviews r));
