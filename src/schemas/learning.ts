import { parseKeywords } from '../domain/learning/theme-suggestions.ts';
import { z } from 'zod';
import { ATTENDANCE, ATTENDEE_TIERS, EPISODE_KINDS, EVENT_FORMATS } from '../domain/learning/labels.ts';
import { agencyCode, optionalIsoDate, optionalText, requiredText } from './common.ts';

const ids = (message: string) => z.array(z.uuid(message)).max(500).default([]);

export const eventDetailsInput = z
  .object({
    heldOn: optionalIsoDate('The date of the event must be a real date'),
    format: z.enum(EVENT_FORMATS, { error: 'Select how the event is held' }),
    venue: optionalText(500),
    link: optionalText(1_000).refine(
      (v) => v === null || /^https:\/\/\S+$/.test(v),
      'Enter the meeting link as a web address starting https://',
    ),
  })
  .refine((v) => v.format === 'online' || v.venue !== null, {
    path: ['venue'],
    error: 'Enter where the event is held',
  })
  .refine((v) => v.format === 'in_person' || v.link !== null, {
    path: ['link'],
    error: 'Enter the meeting link of an online or hybrid event',
  });

export const attendeeInput = z.object({
  agency: agencyCode.describe('Code of the person\'s agency, e.g. "police"'),
  name: requiredText("Enter the person's name", 200),
  tier: z.enum(ATTENDEE_TIERS, {
    error: 'Select whether they are a practitioner, supervisor or senior manager',
  }),
  jobTitle: optionalText(200),
  email: optionalText(320).refine(
    (v) => v === null || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v),
    'Enter an e-mail address in the right format, like name@example.org',
  ),
});

export const attendanceInput = z.object({
  attendance: z.record(z.uuid(), z.enum(ATTENDANCE, { error: 'Select the attendance' })),
});

export const reflectiveNotesInput = z.object({ reflectiveNotes: optionalText(50_000) });

export const episodeInput = z
  .object({
    title: requiredText('Enter a title for the episode', 300),
    kind: z.enum(EPISODE_KINDS, {
      error: 'Select whether the episode is expected good practice or an area for improvement',
    }),
    periodFrom: optionalIsoDate('The start of the episode must be a real date'),
    periodTo: optionalIsoDate('The end of the episode must be a real date'),
    whatHappened: optionalText(20_000),
    whyItMattered: optionalText(20_000),
    agencies: z.array(agencyCode).max(50).default([]),
    entryIds: ids('Choose chronology entries of this review'),
    signalKeys: z
      .array(
        z
          .string()
          .trim()
          .regex(/^[A-Za-z0-9:_.-]{1,200}$/, 'A signal key is letters, digits and - _ . :'),
      )
      .max(200)
      .default([]),
    lineOfEnquiryIds: ids('Choose key lines of enquiry of this review'),
  })
  .refine((v) => !v.periodFrom || !v.periodTo || v.periodFrom <= v.periodTo, {
    path: ['periodTo'],
    error: 'The end of the episode must be the same as or after its start',
  });
export type EpisodeInput = z.infer<typeof episodeInput>;

export const learningInput = z.object({
  statement: requiredText('Enter the learning', 5_000),
  themes: z.array(z.string().trim().min(1).max(60)).min(1, 'Select at least one theme').max(20),
  episodeIds: ids('Choose key practice episodes of this review'),
  lineOfEnquiryIds: ids('Choose key lines of enquiry of this review'),
});
export type LearningInput = z.infer<typeof learningInput>;

export const themeInput = z.object({
  name: requiredText('Enter the name of the theme', 120),
  description: optionalText(1_000),
  /** Words and phrases that suggest the theme in an imported briefing, one a line; absent: unchanged. */
  keywords: z
    .string()
    .max(4_000, 'Enter 4000 characters or fewer')
    .optional()
    .transform((v) => (v === undefined ? undefined : parseKeywords(v)))
    .refine((v) => v === undefined || v.length <= 60, 'Enter 60 words or phrases or fewer')
    .refine(
      (v) => v === undefined || v.every((k) => k.length <= 80),
      'Each word or phrase must be 80 characters or fewer',
    ),
});
