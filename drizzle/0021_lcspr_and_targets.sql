ALTER TABLE "partnerships" ADD COLUMN "line_of_sight_target_weeks" integer;--> statement-breakpoint
ALTER TABLE "partnerships" ADD COLUMN "single_agency_target_weeks" integer;--> statement-breakpoint
ALTER TABLE "screening_decisions" ADD COLUMN "rapid_review_outcome" text;--> statement-breakpoint
ALTER TABLE "screening_decisions" ADD COLUMN "outcome_decided_by" text;--> statement-breakpoint
ALTER TABLE "screening_decisions" ADD COLUMN "outcome_decided_on" date;--> statement-breakpoint
ALTER TABLE "screening_decisions" ADD COLUMN "outcome_rationale" text;