import { z } from 'zod';
import { optionalText } from './common.ts';

/** Confirm or dismiss a practice signal; a dismissal says why. */
export const signalDecisionInput = z
  .object({
    decision: z.enum(['confirmed', 'dismissed'], { error: 'Select confirm or dismiss' }),
    reason: optionalText(2000),
  })
  .superRefine((v, ctx) => {
    if (v.decision === 'dismissed' && !v.reason)
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'Enter why you are dismissing this signal' });
  });

/** Link a signal to one of the review's key lines of enquiry, or unlink it (empty). */
export const signalKloeInput = z.object({
  lineOfEnquiryId: z
    .union([z.uuid({ error: 'Select a key line of enquiry' }), z.literal('')])
    .nullish()
    .transform((v) => v || null),
});
