CREATE TABLE "episode_agencies" (
	"episode_id" uuid NOT NULL,
	"agency_id" uuid NOT NULL,
	CONSTRAINT "episode_agencies_episode_id_agency_id_pk" PRIMARY KEY("episode_id","agency_id")
);
--> statement-breakpoint
CREATE TABLE "episode_entries" (
	"episode_id" uuid NOT NULL,
	"entry_id" uuid NOT NULL,
	CONSTRAINT "episode_entries_episode_id_entry_id_pk" PRIMARY KEY("episode_id","entry_id")
);
--> statement-breakpoint
CREATE TABLE "episode_lines_of_enquiry" (
	"episode_id" uuid NOT NULL,
	"line_of_enquiry_id" uuid NOT NULL,
	CONSTRAINT "episode_lines_of_enquiry_episode_id_line_of_enquiry_id_pk" PRIMARY KEY("episode_id","line_of_enquiry_id")
);
--> statement-breakpoint
CREATE TABLE "episode_signals" (
	"episode_id" uuid NOT NULL,
	"signal_key" text NOT NULL,
	CONSTRAINT "episode_signals_episode_id_signal_key_pk" PRIMARY KEY("episode_id","signal_key")
);
--> statement-breakpoint
CREATE TABLE "event_attendees" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"review_id" uuid NOT NULL,
	"agency_id" uuid NOT NULL,
	"name" text NOT NULL,
	"tier" text NOT NULL,
	"job_title" text,
	"email" text,
	"user_id" uuid,
	"attendance" text DEFAULT 'invited' NOT NULL,
	"invitation_queued_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "learning_statement_episodes" (
	"statement_id" uuid NOT NULL,
	"episode_id" uuid NOT NULL,
	CONSTRAINT "learning_statement_episodes_statement_id_episode_id_pk" PRIMARY KEY("statement_id","episode_id")
);
--> statement-breakpoint
CREATE TABLE "learning_statement_lines_of_enquiry" (
	"statement_id" uuid NOT NULL,
	"line_of_enquiry_id" uuid NOT NULL,
	CONSTRAINT "learning_statement_lines_of_enquiry_statement_id_line_of_enquiry_id_pk" PRIMARY KEY("statement_id","line_of_enquiry_id")
);
--> statement-breakpoint
CREATE TABLE "learning_statement_themes" (
	"statement_id" uuid NOT NULL,
	"theme_id" uuid NOT NULL,
	CONSTRAINT "learning_statement_themes_statement_id_theme_id_pk" PRIMARY KEY("statement_id","theme_id")
);
--> statement-breakpoint
CREATE TABLE "learning_statements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"review_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"statement" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "learning_theme_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"partnership_id" uuid NOT NULL,
	"theme_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"old_name" text,
	"new_name" text,
	"by_user_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "learning_themes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"retired_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "practice_episodes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"review_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"title" text NOT NULL,
	"kind" text NOT NULL,
	"period_from" date,
	"period_to" date,
	"what_happened" text,
	"why_it_mattered" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "review_events" (
	"review_id" uuid PRIMARY KEY NOT NULL,
	"held_on" date,
	"format" text,
	"venue" text,
	"link" text,
	"reflective_notes" text,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "episode_agencies" ADD CONSTRAINT "episode_agencies_episode_id_practice_episodes_id_fk" FOREIGN KEY ("episode_id") REFERENCES "public"."practice_episodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "episode_agencies" ADD CONSTRAINT "episode_agencies_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "episode_entries" ADD CONSTRAINT "episode_entries_episode_id_practice_episodes_id_fk" FOREIGN KEY ("episode_id") REFERENCES "public"."practice_episodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "episode_entries" ADD CONSTRAINT "episode_entries_entry_id_chronology_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."chronology_entries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "episode_lines_of_enquiry" ADD CONSTRAINT "episode_lines_of_enquiry_episode_id_practice_episodes_id_fk" FOREIGN KEY ("episode_id") REFERENCES "public"."practice_episodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "episode_lines_of_enquiry" ADD CONSTRAINT "episode_lines_of_enquiry_line_of_enquiry_id_lines_of_enquiry_id_fk" FOREIGN KEY ("line_of_enquiry_id") REFERENCES "public"."lines_of_enquiry"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "episode_signals" ADD CONSTRAINT "episode_signals_episode_id_practice_episodes_id_fk" FOREIGN KEY ("episode_id") REFERENCES "public"."practice_episodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_attendees" ADD CONSTRAINT "event_attendees_review_id_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."reviews"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_attendees" ADD CONSTRAINT "event_attendees_agency_id_agencies_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agencies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_attendees" ADD CONSTRAINT "event_attendees_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_attendees" ADD CONSTRAINT "event_attendees_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learning_statement_episodes" ADD CONSTRAINT "learning_statement_episodes_statement_id_learning_statements_id_fk" FOREIGN KEY ("statement_id") REFERENCES "public"."learning_statements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learning_statement_episodes" ADD CONSTRAINT "learning_statement_episodes_episode_id_practice_episodes_id_fk" FOREIGN KEY ("episode_id") REFERENCES "public"."practice_episodes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learning_statement_lines_of_enquiry" ADD CONSTRAINT "learning_statement_lines_of_enquiry_statement_id_learning_statements_id_fk" FOREIGN KEY ("statement_id") REFERENCES "public"."learning_statements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learning_statement_lines_of_enquiry" ADD CONSTRAINT "learning_statement_lines_of_enquiry_line_of_enquiry_id_lines_of_enquiry_id_fk" FOREIGN KEY ("line_of_enquiry_id") REFERENCES "public"."lines_of_enquiry"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learning_statement_themes" ADD CONSTRAINT "learning_statement_themes_statement_id_learning_statements_id_fk" FOREIGN KEY ("statement_id") REFERENCES "public"."learning_statements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learning_statement_themes" ADD CONSTRAINT "learning_statement_themes_theme_id_learning_themes_id_fk" FOREIGN KEY ("theme_id") REFERENCES "public"."learning_themes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learning_statements" ADD CONSTRAINT "learning_statements_review_id_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."reviews"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learning_statements" ADD CONSTRAINT "learning_statements_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learning_theme_changes" ADD CONSTRAINT "learning_theme_changes_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learning_theme_changes" ADD CONSTRAINT "learning_theme_changes_theme_id_learning_themes_id_fk" FOREIGN KEY ("theme_id") REFERENCES "public"."learning_themes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learning_theme_changes" ADD CONSTRAINT "learning_theme_changes_by_user_id_users_id_fk" FOREIGN KEY ("by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learning_themes" ADD CONSTRAINT "learning_themes_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_episodes" ADD CONSTRAINT "practice_episodes_review_id_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."reviews"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_episodes" ADD CONSTRAINT "practice_episodes_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_events" ADD CONSTRAINT "review_events_review_id_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."reviews"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_events" ADD CONSTRAINT "review_events_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "episode_entries_entry" ON "episode_entries" USING btree ("entry_id");--> statement-breakpoint
CREATE INDEX "event_attendees_review" ON "event_attendees" USING btree ("review_id");--> statement-breakpoint
CREATE INDEX "learning_statement_themes_theme" ON "learning_statement_themes" USING btree ("theme_id");--> statement-breakpoint
CREATE INDEX "learning_statements_review" ON "learning_statements" USING btree ("review_id","position");--> statement-breakpoint
CREATE INDEX "learning_theme_changes_partnership" ON "learning_theme_changes" USING btree ("partnership_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "learning_themes_partnership_key" ON "learning_themes" USING btree ("partnership_id","key");--> statement-breakpoint
CREATE INDEX "practice_episodes_review" ON "practice_episodes" USING btree ("review_id","position");