CREATE TABLE "monitored_children" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"import_id" uuid NOT NULL,
	"child_key" text NOT NULL,
	"entries" integer DEFAULT 0 NOT NULL,
	"first_date" text,
	"last_date" text,
	"open" boolean DEFAULT false NOT NULL,
	"open_since" text,
	"referrals" text[] DEFAULT '{}'::text[] NOT NULL,
	"high" integer DEFAULT 0 NOT NULL,
	"medium" integer DEFAULT 0 NOT NULL,
	"low" integer DEFAULT 0 NOT NULL,
	"rules" text[] DEFAULT '{}'::text[] NOT NULL
);
--> statement-breakpoint
CREATE TABLE "monitoring_entries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"child_id" uuid NOT NULL,
	"date" text NOT NULL,
	"sort_key" text NOT NULL,
	"time" text,
	"agency" text NOT NULL,
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
	"source_row" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "monitoring_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"status" text NOT NULL,
	"phase" text,
	"bytes_total" integer,
	"bytes_read" integer DEFAULT 0 NOT NULL,
	"rows_read" integer DEFAULT 0 NOT NULL,
	"children" integer DEFAULT 0 NOT NULL,
	"children_scanned" integer DEFAULT 0 NOT NULL,
	"signals" integer DEFAULT 0 NOT NULL,
	"error" text,
	"started_by" uuid,
	"started_by_label" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "monitoring_signals" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"child_id" uuid NOT NULL,
	"rule" text NOT NULL,
	"severity" text NOT NULL,
	"from" text NOT NULL,
	"to" text NOT NULL,
	"evidence" text[] NOT NULL,
	"explanation" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "signal_decisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"review_id" uuid NOT NULL,
	"signal_key" text NOT NULL,
	"decision" text,
	"reason" text,
	"line_of_enquiry_id" uuid,
	"decided_by" uuid,
	"decided_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "signal_settings" (
	"partnership_id" uuid PRIMARY KEY NOT NULL,
	"overrides" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "monitored_children" ADD CONSTRAINT "monitored_children_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitored_children" ADD CONSTRAINT "monitored_children_import_id_monitoring_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."monitoring_imports"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitoring_entries" ADD CONSTRAINT "monitoring_entries_child_id_monitored_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."monitored_children"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitoring_imports" ADD CONSTRAINT "monitoring_imports_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitoring_imports" ADD CONSTRAINT "monitoring_imports_started_by_users_id_fk" FOREIGN KEY ("started_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "monitoring_signals" ADD CONSTRAINT "monitoring_signals_child_id_monitored_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."monitored_children"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signal_decisions" ADD CONSTRAINT "signal_decisions_review_id_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."reviews"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signal_decisions" ADD CONSTRAINT "signal_decisions_line_of_enquiry_id_lines_of_enquiry_id_fk" FOREIGN KEY ("line_of_enquiry_id") REFERENCES "public"."lines_of_enquiry"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signal_decisions" ADD CONSTRAINT "signal_decisions_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signal_settings" ADD CONSTRAINT "signal_settings_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "signal_settings" ADD CONSTRAINT "signal_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "monitored_children_import_key" ON "monitored_children" USING btree ("import_id","child_key");--> statement-breakpoint
CREATE INDEX "monitoring_entries_child_sort" ON "monitoring_entries" USING btree ("child_id","sort_key","id");--> statement-breakpoint
CREATE INDEX "monitoring_imports_partnership" ON "monitoring_imports" USING btree ("partnership_id","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "monitoring_imports_current" ON "monitoring_imports" USING btree ("partnership_id") WHERE "monitoring_imports"."status" = 'current';--> statement-breakpoint
CREATE INDEX "monitoring_signals_child" ON "monitoring_signals" USING btree ("child_id");--> statement-breakpoint
CREATE UNIQUE INDEX "signal_decisions_review_key" ON "signal_decisions" USING btree ("review_id","signal_key");