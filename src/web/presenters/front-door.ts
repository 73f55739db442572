import { RULES } from '../../domain/signals/index.ts';
import { csvField, neutraliseFormula } from '../../files/chronology-writer.ts';
import type { FrontDoorQuery } from '../../schemas/monitoring.ts';
import { paths } from '../paths.ts';
import { signalDate } from './review-signals.ts';

interface ChildRow {
  childKey: string;
  entries: number;
  lastDate: string | null;
  open: boolean;
  openSince: string | null;
  referrals: string[];
  high: number;
  medium: number;
  low: number;
  rules: string[];
}

const RULE_TITLES = new Map<string, string>(RULES.map((r) => [r.id, r.title]));
export const ruleTitle = (id: string) => RULE_TITLES.get(id) ?? id;

/** "2 high, 1 medium" — the signal profile in words. */
export function profileText(c: Pick<ChildRow, 'high' | 'medium' | 'low'>): string {
  const parts = [
    c.high ? `${c.high} high` : null,
    c.medium ? `${c.medium} medium` : null,
    c.low ? `${c.low} low` : null,
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'None';
}

/** Rows of either front door list, for the GOV.UK table. */
export function frontDoorRows(items: readonly ChildRow[]) {
  return items.map((c) => ({
    key: c.childKey,
    href: paths.frontDoor.child({ key: c.childKey }),
    referrals: c.referrals.length,
    lastReferral: c.referrals.length ? signalDate(c.referrals[c.referrals.length - 1]!) : '',
    referralDates: c.referrals.map(signalDate).join(', '),
    open: c.open ? `Open since ${c.openSince ? signalDate(c.openSince) : 'unknown'}` : 'Closed',
    profile: profileText(c),
    rules: c.rules.map(ruleTitle).join(', '),
    lastEntry: c.lastDate ? signalDate(c.lastDate) : '',
  }));
}

/** The filter form's options and the query string to keep across paging and export. */
export function frontDoorFilters(q: FrontDoorQuery) {
  const keep = new URLSearchParams(
    Object.entries({
      rule: q.rule,
      child: q.child,
      open: q.open === undefined ? undefined : q.open ? 'yes' : 'no',
      referredFrom: q.referredFrom,
      referredTo: q.referredTo,
    }).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''),
  );
  return {
    ruleItems: [
      { value: '', text: 'Any signal', selected: !q.rule },
      ...RULES.map((r) => ({ value: r.id, text: r.title, selected: q.rule === r.id })),
    ],
    openItems: [
      { value: '', text: 'Open or closed', selected: q.open === undefined },
      { value: 'yes', text: 'Open', selected: q.open === true },
      { value: 'no', text: 'Closed', selected: q.open === false },
    ],
    query: keep.toString(),
  };
}

const COLUMNS = [
  'child',
  'referrals',
  'referral_dates',
  'open',
  'open_since',
  'high',
  'medium',
  'low',
  'signals',
  'last_entry',
] as const;

/** The list as CSV: formula-like cells neutralised, as the chronology exports are. */
export function frontDoorCsv(items: readonly ChildRow[]): string {
  const line = (cells: readonly string[]) =>
    cells.map((c) => csvField(neutraliseFormula(c))).join(',') + '\r\n';
  return (
    line(COLUMNS) +
    items
      .map((c) =>
        line([
          c.childKey,
          String(c.referrals.length),
          c.referrals.join(';'),
          c.open ? 'yes' : 'no',
          c.openSince ?? '',
          String(c.high),
          String(c.medium),
          String(c.low),
          c.rules.join(';'),
          c.lastDate ?? '',
        ]),
      )
      .join('')
  );
}
