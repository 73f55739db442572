CREATE TABLE "action_audits" (
	"action_id" uuid NOT NULL,
	"audit_id" uuid NOT NULL,
	CONSTRAINT "action_audits_action_id_audit_id_pk" PRIMARY KEY("action_id","audit_id")
);
--> statement-breakpoint
CREATE TABLE "action_learning_statements" (
	"action_id" uuid NOT NULL,
	"statement_id" uuid NOT NULL,
	CONSTRAINT "action_learning_statements_action_id_statement_id_pk" PRIMARY KEY("action_id","statement_id")
);
--> statement-breakpoint
CREATE TABLE "action_updates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"action_id" uuid NOT NULL,
	"note" text NOT NULL,
	"status_from" text NOT NULL,
	"status_to" text NOT NULL,
	"evidence_text" text,
	"evidence_url" text,
	"file_name" text,
	"file_type" text,
	"file_size" integer,
	"file_content" "bytea",
	"by_user_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "practice_audit_rounds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"audit_id" uuid NOT NULL,
	"round_date" date NOT NULL,
	"sampled" integer NOT NULL,
	"compliant" integer NOT NULL,
	"note" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "practice_audit_rounds_counts" CHECK ("practice_audit_rounds"."sampled" > 0 and "practice_audit_rounds"."compliant" >= 0 and "practice_audit_rounds"."compliant" <= "practice_audit_rounds"."sampled")
);
--> statement-breakpoint
CREATE TABLE "practice_audits" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"agency_id" uuid NOT NULL,
	"question" text NOT NULL,
	"sample_description" text NOT NULL,
	"compliant_means" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "review_actions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"review_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"what" text NOT NULL,
	"owning_agency_id" uuid NOT NULL,
	"lead_user_id" uuid NOT NULL,
	"due_date" date NOT NULL,
	"success_measure" text NOT NULL,
	"status" text DEFAULT 'not_started' NOT NULL,
	"cancelled_reason" text,
	"assured_at" timestamp with time zone,
	"assured_by" uuid,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "review_progress_statements" (
	"review_id" uuid PRIMARY KEY NOT NULL,
	"items" jsonb NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "action_audits" ADD CONSTRAINT "action_audits_action_id_review_actions_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."review_actions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_audits" ADD CONSTRAINT "action_audits_audit_id_practice_audits_id_fk" FOREIGN KEY ("audit_id") REFERENCES "public"."practice_audits"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_learning_statements" ADD CONSTRAINT "action_learning_statements_action_id_review_actions_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."review_actions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_learning_statements" ADD CONSTRAINT "action_learning_statements_statement_id_learning_statements_id_fk" FOREIGN KEY ("statement_id") REFERENCES "public"."learning_statements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_updates" ADD CONSTRAINT "action_updates_action_id_review_actions_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."review_actions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_updates" ADD CONSTRAINT "action_updates_by_user_id_users_id_fk" FOREIGN KEY ("by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_audit_rounds" ADD CONSTRAINT "practice_audit_rounds_audit_id_practice_audits_id_fk" FOREIGN KEY ("audit_id") REFERENCES "public"."practice_audits"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_audit_rounds" ADD CONSTRAINT "practice_audit_rounds_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_audits" ADD CONSTRAINT "practice_audits_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_audits" ADD CONSTRAINT "practice_audits_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_audits" ADD CONSTRAINT "practice_audits_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_actions" ADD CONSTRAINT "review_actions_review_id_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."reviews"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_actions" ADD CONSTRAINT "review_actions_owning_agency_id_agencies_id_fk" FOREIGN KEY ("owning_agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_actions" ADD CONSTRAINT "review_actions_lead_user_id_users_id_fk" FOREIGN KEY ("lead_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_actions" ADD CONSTRAINT "review_actions_assured_by_users_id_fk" FOREIGN KEY ("assured_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_actions" ADD CONSTRAINT "review_actions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_progress_statements" ADD CONSTRAINT "review_progress_statements_review_id_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."reviews"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_progress_statements" ADD CONSTRAINT "review_progress_statements_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "action_audits_audit" ON "action_audits" USING btree ("audit_id");--> statement-breakpoint
CREATE INDEX "action_learning_statement" ON "action_learning_statements" USING btree ("statement_id");--> statement-breakpoint
CREATE INDEX "action_updates_action" ON "action_updates" USING btree ("action_id","at");--> statement-breakpoint
CREATE INDEX "practice_audit_rounds_audit" ON "practice_audit_rounds" USING btree ("audit_id","round_date");--> statement-breakpoint
CREATE INDEX "practice_audits_partnership" ON "practice_audits" USING btree ("partnership_id");--> statement-breakpoint
CREATE UNIQUE INDEX "review_actions_review_number" ON "review_actions" USING btree ("review_id","number");--> statement-breakpoint
CREATE INDEX "review_actions_agency" ON "review_actions" USING btree ("owning_agency_id");--> statement-breakpoint
CREATE INDEX "review_actions_due" ON "review_actions" USING btree ("due_date");