ALTER TABLE "monitoring_imports" ADD COLUMN "upload_path" text;--> statement-breakpoint
ALTER TABLE "monitoring_imports" ADD COLUMN "claimed_by" text;--> statement-breakpoint
ALTER TABLE "monitoring_imports" ADD COLUMN "attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "monitoring_imports" ADD COLUMN "cancel_requested_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "monitoring_imports" ADD COLUMN "cancelled_by" text;--> statement-breakpoint
CREATE UNIQUE INDEX "monitoring_imports_active" ON "monitoring_imports" USING btree ("partnership_id") WHERE "monitoring_imports"."status" in ('queued', 'loading');