CREATE TABLE "kept_forms" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"path" text NOT NULL,
	"sealed" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "kept_forms" ADD CONSTRAINT "kept_forms_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "kept_forms_user" ON "kept_forms" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "kept_forms_expires" ON "kept_forms" USING btree ("expires_at");--> statement-breakpoint
-- A kept form is its owner's alone: under the application's role, only the actor's own rows.
ALTER TABLE "kept_forms" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY los_own ON "kept_forms" USING ("user_id" = nullif(current_setting('los.user_id', true), '')::uuid) WITH CHECK ("user_id" = nullif(current_setting('los.user_id', true), '')::uuid);
