import { z } from 'zod';
import { isoDate } from './common.ts';

/** GET /api/v1/themes/recurrence: learning dated on or after `since` (YYYY-MM-DD). */
export const recurrenceQuery = z.object({
  since: isoDate('Enter the date as YYYY-MM-DD, for example 2023-01-01').optional(),
});
