CREATE TABLE "erasures" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"partnership_id" uuid NOT NULL,
	"data_class" text NOT NULL,
	"review_id" uuid,
	"review_reference" text,
	"reason" text NOT NULL,
	"records" integer NOT NULL,
	"by_user_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "erasures_reason" CHECK ("erasures"."reason" in ('retention', 'request'))
);
--> statement-breakpoint
CREATE TABLE "legal_holds" (
	"review_id" uuid PRIMARY KEY NOT NULL,
	"reason" text NOT NULL,
	"placed_by" uuid,
	"placed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "retention_periods" (
	"partnership_id" uuid NOT NULL,
	"data_class" text NOT NULL,
	"amount" integer NOT NULL,
	"changed_by" uuid,
	"changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "retention_periods_partnership_id_data_class_pk" PRIMARY KEY("partnership_id","data_class"),
	CONSTRAINT "retention_periods_amount" CHECK ("retention_periods"."amount" >= 0)
);
--> statement-breakpoint
ALTER TABLE "erasures" ADD CONSTRAINT "erasures_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "erasures" ADD CONSTRAINT "erasures_review_id_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."reviews"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "erasures" ADD CONSTRAINT "erasures_by_user_id_users_id_fk" FOREIGN KEY ("by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "legal_holds" ADD CONSTRAINT "legal_holds_review_id_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."reviews"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "legal_holds" ADD CONSTRAINT "legal_holds_placed_by_users_id_fk" FOREIGN KEY ("placed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retention_periods" ADD CONSTRAINT "retention_periods_partnership_id_partnerships_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnerships"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retention_periods" ADD CONSTRAINT "retention_periods_changed_by_users_id_fk" FOREIGN KEY ("changed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "erasures_partnership_at" ON "erasures" USING btree ("partnership_id","at");--> statement-breakpoint
CREATE INDEX "erasures_review_class" ON "erasures" USING btree ("review_id","data_class");