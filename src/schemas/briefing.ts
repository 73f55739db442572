import { z } from 'zod';
import { RESOURCE_CATEGORIES } from '../domain/briefing/resources.ts';
import { isoDate, requiredText } from './common.ts';

const longText = (max = 20_000) =>
  z
    .string()
    .max(max, `Enter ${max} characters or fewer`)
    .nullish()
    .transform((v) => v ?? '');

/** A section's edit page: heading, prose and its lists (one item per line). */
export const briefingSectionInput = z.object({
  heading: requiredText('Enter the heading of the section', 200),
  text: longText(),
  items: longText(),
  goodPractice: longText(),
  areasForImprovement: longText(),
});

/**
 * A custom section added from the Briefing tab: heading, text and points, and where it goes:
 * `after` is the number of the section it follows ("0" for the start), or "end".
 */
export const newSectionInput = z.object({
  heading: requiredText('Enter the heading of the section', 200),
  text: longText(),
  items: longText(),
  after: z
    .string()
    .trim()
    .nullish()
    .transform((v) => (v ? v : 'end'))
    .refine((v) => v === 'end' || /^\d{1,3}$/.test(v), 'Choose where the section goes')
    .transform((v) => (v === 'end' ? null : Number(v) - 1)),
});

export const sectionMoveInput = z.object({
  direction: z.enum(['up', 'down'], { error: 'Choose whether the section moves up or down' }),
});

/** A finding of the last check, by its id (16 hex digits), accepted with the approver's reason. */
export const acceptFindingInput = z.object({
  finding: z.string().trim().min(1, 'Choose the finding to accept').max(64),
  reason: requiredText('Enter why this detail can stay in the briefing', 2_000),
});

export const reissueInput = z.object({
  note: requiredText('Enter why the briefing is reissued, for example new impact evidence', 500),
});

export const deliveryInput = z.object({
  team: requiredText('Enter the name of the team', 200),
  deliveredOn: isoDate('Enter the date of the delivery as a real date'),
  numberPresent: z.coerce
    .number({ error: 'Enter how many people were present, as a number' })
    .int('Enter how many people were present, as a whole number')
    .min(1, 'Enter how many people were present: at least 1')
    .max(1000, 'Enter how many people were present: 1000 or fewer'),
  keyThoughts: requiredText('Enter the team’s key thoughts and reflections', 5_000),
  embedding: requiredText('Enter how the team will embed the learning and know that it has', 5_000),
  teamPlans: requiredText('Enter how the learning fits into team or service plans', 5_000),
});

export const resourceInput = z.object({
  title: requiredText('Enter the title of the link', 200),
  url: requiredText('Enter the web address', 2_000).refine((v) => {
    try {
      const u = new URL(v);
      return u.protocol === 'https:' || u.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'Enter a web address starting with https://'),
  category: z.enum(RESOURCE_CATEGORIES, { error: 'Select a category' }),
});

export const libraryQuery = z.object({
  q: z
    .string()
    .trim()
    .max(200)
    .optional()
    .transform((v) => (v ? v : undefined)),
  theme: z
    .string()
    .trim()
    .max(200)
    .optional()
    .transform((v) => (v ? v : undefined)),
  agency: z
    .string()
    .trim()
    .max(60)
    .optional()
    .transform((v) => (v ? v : undefined)),
  type: z
    .string()
    .trim()
    .max(60)
    .optional()
    .transform((v) => (v ? v : undefined)),
  year: z.coerce
    .number()
    .int()
    .min(1990)
    .max(2100)
    .optional()
    .or(z.literal('').transform(() => undefined)),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});

export const briefingFormatQuery = z.object({
  format: z.enum(['json', 'md', 'html', 'pdf', 'docx']).default('json'),
});

const item = z.string().max(5_000);
const base = { heading: z.string().max(500), paragraphs: z.array(z.string().max(50_000)).max(500) };
/** The briefing model, for an import carried from the preview page to "Save to the library". */
export const briefingContent = z.object({
  title: z.string().trim().min(1, 'The briefing has no title').max(500),
  sections: z
    .array(
      z.discriminatedUnion('kind', [
        z.object({
          kind: z.enum(['background', 'purpose', 'linesOfEnquiry', 'learning', 'progressImpact', 'custom']),
          ...base,
          items: z.array(item).max(500),
        }),
        z.object({
          kind: z.literal('practiceEpisodes'),
          ...base,
          goodPractice: z.array(item).max(500),
          areasForImprovement: z.array(item).max(500),
          items: z.array(item).max(500),
        }),
        z.object({
          kind: z.literal('furtherInformation'),
          ...base,
          items: z.array(z.object({ title: item, url: z.string().max(2_000).optional() })).max(500),
        }),
      ]),
    )
    .max(100),
});
