import { z } from 'zod';
import { REVIEW_TYPES } from '../domain/lifecycle/stages.ts';
import { optionalText } from './common.ts';

/** Theme keys sent as a list, or as one comma-separated string (a query string, a form). */
const themeKeys = z.preprocess(
  (v) =>
    v === undefined || v === null
      ? []
      : (Array.isArray(v) ? v : String(v).split(',')).map((k) => String(k).trim()).filter(Boolean),
  z
    .array(
      z
        .string()
        .max(60)
        .regex(/^[a-z0-9-]+$/, 'Choose themes from the list'),
    )
    .max(30, 'Choose 30 themes or fewer'),
);

const year = z.preprocess(
  (v) => (v === '' || v === null || v === undefined ? undefined : v),
  z.coerce
    .number({ error: 'Enter the year as 4 digits, for example 2021' })
    .int('Enter the year as 4 digits, for example 2021')
    .min(1990, 'Enter a year from 1990')
    .max(2100, 'Enter a year before 2100')
    .optional(),
);

/**
 * What a coordinator says about a briefing loaded into the library (at import, and later on its
 * "Change details" page): its title, the partnership it comes from, its year, the kind of review
 * and its learning themes (by key, from the taxonomy).
 */
export const libraryMetadataInput = z.object({
  title: z.string().trim().max(500, 'Enter 500 characters or fewer').optional(),
  partnership: optionalText(200),
  year,
  reviewType: z.enum(REVIEW_TYPES, { error: 'Choose the type of review' }).optional(),
  themes: themeKeys,
});

export type LibraryMetadataInput = z.infer<typeof libraryMetadataInput>;
