CREATE TABLE "agency_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"review_id" uuid NOT NULL,
	"agency_id" uuid NOT NULL,
	"lead_user_id" uuid,
	"status" text NOT NULL,
	"instructions" text,
	"due_date" date NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_by" uuid,
	"submitted_at" timestamp with time zone,
	"submitted_by" uuid,
	"accepted_at" timestamp with time zone,
	"accepted_by" uuid,
	"query" text,
	"withdrawn_at" timestamp with time zone,
	"withdrawn_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "chronology_amendments" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"entry_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"by_user_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "chronology_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"review_id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"agency_id" uuid NOT NULL,
	"date" text NOT NULL,
	"sort_key" text NOT NULL,
	"time" text,
	"event_type" text NOT NULL,
	"summary" text NOT NULL,
	"children_present" text,
	"child_seen" text,
	"child_voice" text,
	"concerns" text[] DEFAULT '{}'::text[] NOT NULL,
	"worker" text,
	"practitioner_role" text,
	"action_taken" text,
	"outcome" text,
	"significance" text,
	"source_ref" text,
	"extra" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"source_row" integer,
	"same_event_key" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"removed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "self_analysis_answers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"line_of_enquiry_id" uuid NOT NULL,
	"went_well" text,
	"could_be_better" text,
	"why" text,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "agency_requests" ADD CONSTRAINT "agency_requests_review_id_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."reviews"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agency_requests" ADD CONSTRAINT "agency_requests_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agency_requests" ADD CONSTRAINT "agency_requests_lead_user_id_users_id_fk" FOREIGN KEY ("lead_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agency_requests" ADD CONSTRAINT "agency_requests_sent_by_users_id_fk" FOREIGN KEY ("sent_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agency_requests" ADD CONSTRAINT "agency_requests_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agency_requests" ADD CONSTRAINT "agency_requests_accepted_by_users_id_fk" FOREIGN KEY ("accepted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chronology_amendments" ADD CONSTRAINT "chronology_amendments_entry_id_chronology_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."chronology_entries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chronology_amendments" ADD CONSTRAINT "chronology_amendments_by_user_id_users_id_fk" FOREIGN KEY ("by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chronology_entries" ADD CONSTRAINT "chronology_entries_review_id_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."reviews"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chronology_entries" ADD CONSTRAINT "chronology_entries_request_id_agency_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."agency_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chronology_entries" ADD CONSTRAINT "chronology_entries_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "chronology_entries" ADD CONSTRAINT "chronology_entries_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "self_analysis_answers" ADD CONSTRAINT "self_analysis_answers_request_id_agency_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."agency_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "self_analysis_answers" ADD CONSTRAINT "self_analysis_answers_line_of_enquiry_id_lines_of_enquiry_id_fk" FOREIGN KEY ("line_of_enquiry_id") REFERENCES "public"."lines_of_enquiry"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "self_analysis_answers" ADD CONSTRAINT "self_analysis_answers_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "agency_requests_review" ON "agency_requests" USING btree ("review_id");--> statement-breakpoint
CREATE UNIQUE INDEX "agency_requests_live" ON "agency_requests" USING btree ("review_id","agency_id") WHERE "agency_requests"."withdrawn_at" is null;--> statement-breakpoint
CREATE INDEX "chronology_amendments_entry" ON "chronology_amendments" USING btree ("entry_id");--> statement-breakpoint
CREATE INDEX "chronology_entries_review_sort" ON "chronology_entries" USING btree ("review_id","sort_key");--> statement-breakpoint
CREATE INDEX "chronology_entries_request" ON "chronology_entries" USING btree ("request_id");--> statement-breakpoint
CREATE UNIQUE INDEX "self_analysis_answers_request_kloe" ON "self_analysis_answers" USING btree ("request_id","line_of_enquiry_id");