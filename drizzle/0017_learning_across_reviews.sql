CREATE TABLE "briefing_themes" (
	"briefing_id" uuid NOT NULL,
	"theme_id" uuid NOT NULL,
	CONSTRAINT "briefing_themes_briefing_id_theme_id_pk" PRIMARY KEY("briefing_id","theme_id")
);
--> statement-breakpoint
ALTER TABLE "briefings" ADD COLUMN "title" text;--> statement-breakpoint
ALTER TABLE "briefings" ADD COLUMN "source_partnership" text;--> statement-breakpoint
ALTER TABLE "briefings" ADD COLUMN "document_date" date;--> statement-breakpoint
ALTER TABLE "briefings" ADD COLUMN "year" integer;--> statement-breakpoint
ALTER TABLE "briefings" ADD COLUMN "taxonomy_version" integer;--> statement-breakpoint
ALTER TABLE "learning_themes" ADD COLUMN "keywords" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "briefing_themes" ADD CONSTRAINT "briefing_themes_briefing_id_briefings_id_fk" FOREIGN KEY ("briefing_id") REFERENCES "public"."briefings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "briefing_themes" ADD CONSTRAINT "briefing_themes_theme_id_learning_themes_id_fk" FOREIGN KEY ("theme_id") REFERENCES "public"."learning_themes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "briefing_themes_theme" ON "briefing_themes" USING btree ("theme_id");