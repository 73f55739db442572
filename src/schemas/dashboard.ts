import { z } from 'zod';

const year = (label: string) =>
  z.preprocess(
    (v) => (v === '' || v === null ? undefined : v),
    z.coerce
      .number({ error: `Choose the year ${label}` })
      .int(`Choose the year ${label}`)
      .min(1990, `Choose the year ${label}`)
      .max(2100, `Choose the year ${label}`)
      .optional(),
  );

/** The dashboard's filters, from the page's form, the API's query and the CSV links alike. */
export const dashboardQuery = z
  .object({
    from: year('the period starts'),
    to: year('the period ends'),
    agency: z.preprocess(
      (v) => (v === '' || v === null ? undefined : v),
      z
        .string()
        .trim()
        .max(60, 'Choose an agency from the list')
        .regex(/^[a-z0-9-]+$/, 'Choose an agency from the list')
        .optional(),
    ),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, {
    message: 'The period must start in or before the year it ends',
    path: ['to'],
  });

export type DashboardQuery = z.infer<typeof dashboardQuery>;

export const DASHBOARD_FIGURES = [
  'reviews-by-stage',
  'agency-returns',
  'actions',
  'themes',
  'audits',
  're-referrals',
] as const;
export type DashboardFigure = (typeof DASHBOARD_FIGURES)[number];
