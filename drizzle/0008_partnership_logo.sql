ALTER TABLE "partnerships" ADD COLUMN "logo" "bytea";--> statement-breakpoint
ALTER TABLE "partnerships" ADD COLUMN "logo_media_type" text;--> statement-breakpoint
ALTER TABLE "partnerships" ADD COLUMN "logo_updated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "partnerships" ADD CONSTRAINT "partnerships_logo_type" CHECK (("partnerships"."logo" is null and "partnerships"."logo_media_type" is null) or ("partnerships"."logo" is not null and "partnerships"."logo_media_type" is not null and "partnerships"."logo_media_type" in ('image/png', 'image/jpeg')));