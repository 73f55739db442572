import { STAGE_LABELS } from '../domain/lifecycle/stages.ts';
import type { DashboardFigure } from '../schemas/dashboard.ts';
import type { DashboardFigures } from '../services/dashboard-service.ts';
import { csvField, neutraliseFormula } from './chronology-writer.ts';

type Value = string | number | null;

/** The rows of one figure as data: what its CSV file and the API give (one row per number). */
export function figureRows(
  f: DashboardFigures,
  figure: DashboardFigure,
): { header: string[]; rows: Value[][] } {
  switch (figure) {
    case 'reviews-by-stage':
      return {
        header: ['stage', 'reviews', 'median_days_in_stage', 'longest_days_in_stage', 'past_deadline'],
        rows: f.pipeline.stages.map((s) => [
          STAGE_LABELS[s.stage],
          s.reviews,
          s.medianDaysInStage,
          s.longestDaysInStage,
          s.pastDeadline,
        ]),
      };
    case 'agency-returns':
      return {
        header: ['agency_code', 'agency', 'outstanding', 'overdue', 'longest_overdue_days'],
        rows: f.returns.map((r) => [
          r.agencyCode,
          r.agencyName,
          r.outstanding,
          r.overdue,
          r.longestOverdueDays,
        ]),
      };
    case 'actions':
      return {
        header: ['agency_code', 'agency', 'overdue', 'due_soon', 'on_track', 'done', 'cancelled', 'total'],
        rows: f.actions.map((a) => [
          a.agencyCode,
          a.agencyName,
          a.overdue,
          a.dueSoon,
          a.onTrack,
          a.done,
          a.cancelled,
          a.total,
        ]),
      };
    case 'themes':
      return {
        header: ['theme_key', 'theme', 'year', 'reviews', 'repeats_after_completed_actions'],
        rows: f.themes.rows.flatMap((r) =>
          f.themes.years.map((y, i) => [r.key, r.name, y, r.counts[i] ?? 0, r.repeats[i] ?? 0]),
        ),
      };
    case 'audits':
      return {
        header: ['agency_code', 'agency', 'audit', 'round_date', 'compliant', 'sampled', 'percentage'],
        rows: f.audits.flatMap((a) =>
          a.rounds.map((r) => [
            a.agencyCode,
            a.agencyName,
            a.question,
            r.date,
            r.compliant,
            r.sampled,
            r.percentage,
          ]),
        ),
      };
    case 're-referrals':
      return {
        header: ['year', 'referrals', 're_referrals_within_12_months', 'rate_percent'],
        rows: f.reReferrals.map((y) => [y.year, y.referrals, y.reReferrals, y.rate]),
      };
  }
}

/** One figure as a CSV file (UTF-8 with a byte-order mark for spreadsheets; text never read as a formula). */
export function figureCsv(f: DashboardFigures, figure: DashboardFigure): string {
  const { header, rows } = figureRows(f, figure);
  const line = (cells: Value[]) =>
    cells.map((c) => (typeof c === 'number' ? String(c) : csvField(neutraliseFormula(c ?? '')))).join(',') +
    '\r\n';
  return '\uFEFF' + line(header) + rows.map(line).join('');
}
