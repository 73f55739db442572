import { ACTION_STATUS_LABELS } from '../../domain/actions/status.ts';
import { formatDate } from '../../domain/calendar/format.ts';
import { STAGE_LABELS } from '../../domain/lifecycle/stages.ts';
import type { DashboardFigure } from '../../schemas/dashboard.ts';
import type { DashboardFigures } from '../../services/dashboard-service.ts';
import { renderChart, TEXT_COLOUR } from '../charts/render.ts';
import { paths } from '../paths.ts';

/** A cell of a figure's table: the words shown, and the number behind them when it is one. */
export interface Cell {
  text: string;
  numeric?: boolean;
  href?: string;
}

export interface FigureView {
  id: DashboardFigure;
  title: string;
  /** The chart in words: read first, and the chart's accessible name. */
  summary: string;
  svg: string | null;
  /** What the chart cannot show, said in words ("the agency filter does not apply"). */
  note?: string;
  table: { caption: string; head: Cell[]; rows: Cell[][] };
  /** A second table beside the first (the reviews past a deadline). */
  extra?: { caption: string; head: Cell[]; rows: Cell[][] };
}

const n = (value: number | null | undefined): Cell => ({
  text: value === null || value === undefined ? '–' : String(value),
  numeric: true,
});
const words = (text: string): Cell => ({ text });
const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
const SIZE = { width: 640, height: 340 };
const axisLabel = { color: TEXT_COLOUR, fontSize: 13 };

/** Charts are drawn once per figure and data: the same numbers give the same SVG. */
const drawn = new Map<string, string>();
function chart(option: Record<string, unknown>, labelledBy: string): string {
  const key = `${labelledBy}\u0000${JSON.stringify(option)}`;
  const kept = drawn.get(key);
  if (kept !== undefined) {
    drawn.delete(key);
    drawn.set(key, kept);
    return kept;
  }
  const svg = renderChart(option, SIZE, labelledBy);
  drawn.set(key, svg);
  if (drawn.size > 200) drawn.delete(drawn.keys().next().value!);
  return svg;
}

const summaryId = (id: string) => `${id}-summary`;

function reviewsByStage(f: DashboardFigures): FigureView {
  const id = 'reviews-by-stage' as const;
  const stages = f.pipeline.stages;
  const total = stages.reduce((sum, s) => sum + s.reviews, 0);
  const late = f.pipeline.late.length;
  const busiest = [...stages].sort((a, b) => b.reviews - a.reviews)[0];
  const summary =
    total === 0
      ? 'No reviews are in progress.'
      : `${plural(total, 'review')} in progress; the most (${busiest!.reviews}) in ${STAGE_LABELS[busiest!.stage].toLowerCase()}. ` +
        `${late === 0 ? 'None is' : `${plural(late, 'review is', 'reviews are')}`} past a deadline of the statutory or partnership clock.`;
  const labels = stages.map((s) => STAGE_LABELS[s.stage]);
  return {
    id,
    title: 'Reviews by stage',
    summary,
    svg: total
      ? chart(
          {
            grid: { left: 170, right: 30, top: 20, bottom: 30 },
            xAxis: { type: 'value', minInterval: 1, axisLabel },
            yAxis: { type: 'category', data: [...labels].reverse(), axisLabel },
            series: [
              {
                name: 'Reviews',
                type: 'bar',
                data: [...stages.map((s) => s.reviews)].reverse(),
                label: { show: true, position: 'right', color: TEXT_COLOUR },
              },
            ],
          },
          summaryId(id),
        )
      : null,
    table: {
      caption: 'Reviews in progress by stage',
      head: [
        words('Stage'),
        { text: 'Reviews', numeric: true },
        { text: 'Median days in stage', numeric: true },
        { text: 'Longest days in stage', numeric: true },
        { text: 'Past a deadline', numeric: true },
      ],
      rows: stages.map((s) => [
        words(STAGE_LABELS[s.stage]),
        n(s.reviews),
        n(s.medianDaysInStage),
        n(s.longestDaysInStage),
        n(s.pastDeadline),
      ]),
    },
    extra: {
      caption: 'Reviews past a deadline',
      head: [
        words('Review'),
        words('Stage'),
        words('What was due'),
        words('Due'),
        { text: 'Days late', numeric: true },
      ],
      rows: f.pipeline.late.map((l) => [
        { text: l.reference, href: paths.reviews.overview({ ref: l.reference }) },
        words(STAGE_LABELS[l.stage]),
        words(l.deadline.what),
        words(formatDate(l.deadline.due)),
        n(l.daysLate),
      ]),
    },
  };
}

function agencyReturns(f: DashboardFigures): FigureView {
  const id = 'agency-returns' as const;
  const outstanding = f.returns.reduce((s, r) => s + r.outstanding, 0);
  const overdue = f.returns.reduce((s, r) => s + r.overdue, 0);
  const summary =
    outstanding === 0
      ? 'No agency returns are outstanding.'
      : `${plural(outstanding, 'agency return')} outstanding from ${plural(f.returns.length, 'agency', 'agencies')}; ${overdue} overdue.`;
  return {
    id,
    title: 'Agency returns outstanding and overdue',
    summary,
    svg: f.returns.length
      ? chart(
          {
            grid: { left: 60, right: 20, top: 40, bottom: 80 },
            legend: { top: 0, textStyle: { color: TEXT_COLOUR } },
            xAxis: {
              type: 'category',
              data: f.returns.map((r) => r.agencyName),
              axisLabel: { ...axisLabel, interval: 0, rotate: 20 },
            },
            yAxis: { type: 'value', minInterval: 1, axisLabel },
            series: [
              { name: 'Outstanding', type: 'bar', data: f.returns.map((r) => r.outstanding) },
              {
                name: 'Overdue',
                type: 'bar',
                data: f.returns.map((r) => r.overdue),
                itemStyle: { color: '#d4351c' },
              },
            ],
          },
          summaryId(id),
        )
      : null,
    table: {
      caption: 'Agency returns waiting on the agency',
      head: [
        words('Agency'),
        { text: 'Outstanding', numeric: true },
        { text: 'Overdue', numeric: true },
        { text: 'Longest overdue (days)', numeric: true },
      ],
      rows: f.returns.map((r) => [
        words(r.agencyName),
        n(r.outstanding),
        n(r.overdue),
        n(r.longestOverdueDays),
      ]),
    },
  };
}

const RAG_SERIES = [
  { key: 'overdue', name: 'Overdue', colour: '#d4351c' },
  { key: 'dueSoon', name: 'Due soon', colour: '#f47738' },
  { key: 'onTrack', name: 'On track', colour: '#85994b' },
  { key: 'done', name: 'Done', colour: '#00703c' },
] as const;

function actions(f: DashboardFigures): FigureView {
  const id = 'actions' as const;
  const total = f.actions.reduce((s, a) => s + a.total, 0);
  const overdue = f.actions.reduce((s, a) => s + a.overdue, 0);
  const done = f.actions.reduce((s, a) => s + a.done, 0);
  const summary =
    total === 0
      ? 'No actions.'
      : `${plural(total, 'action')} across ${plural(f.actions.length, 'agency', 'agencies')}: ${done} done (${ACTION_STATUS_LABELS.completed.toLowerCase()} or ${ACTION_STATUS_LABELS.assured.toLowerCase()}), ${overdue} overdue.`;
  return {
    id,
    title: 'Actions by agency and RAG',
    summary,
    svg: f.actions.length
      ? chart(
          {
            grid: { left: 170, right: 20, top: 40, bottom: 30 },
            legend: { top: 0, textStyle: { color: TEXT_COLOUR } },
            xAxis: { type: 'value', minInterval: 1, axisLabel },
            yAxis: { type: 'category', data: f.actions.map((a) => a.agencyName), axisLabel },
            series: RAG_SERIES.map((r) => ({
              name: r.name,
              type: 'bar',
              stack: 'rag',
              itemStyle: { color: r.colour },
              data: f.actions.map((a) => a[r.key]),
            })),
          },
          summaryId(id),
        )
      : null,
    table: {
      caption: 'Actions by owning agency',
      head: [
        words('Agency'),
        ...RAG_SERIES.map((r) => ({ text: r.name, numeric: true })),
        { text: 'Cancelled', numeric: true },
        { text: 'Total', numeric: true },
      ],
      rows: f.actions.map((a) => [
        words(a.agencyName),
        n(a.overdue),
        n(a.dueSoon),
        n(a.onTrack),
        n(a.done),
        n(a.cancelled),
        n(a.total),
      ]),
    },
  };
}

const TOP_THEMES = 6;

function themes(f: DashboardFigures): FigureView {
  const id = 'themes' as const;
  const { years, rows } = f.themes;
  const sorted = [...rows].sort((a, b) => b.total - a.total || a.name.localeCompare(b.name));
  const top = sorted.slice(0, TOP_THEMES);
  const rest = sorted.slice(TOP_THEMES);
  const repeatsByYear = years.map((_, i) => rows.reduce((s, r) => s + (r.repeats[i] ?? 0), 0));
  const repeatTotal = repeatsByYear.reduce((a, b) => a + b, 0);
  const summary =
    rows.length === 0
      ? 'No learning is tagged with a theme in these reviews.'
      : `Most often: ${top
          .slice(0, 3)
          .map((t) => `${t.name} (${plural(t.total, 'review')})`)
          .join(
            ', ',
          )}. ${repeatTotal === 0 ? 'No theme came back' : `${plural(repeatTotal, 'time')} a theme came back`} in a review referred after an earlier review's action on it was completed or assured.`;
  const series: Record<string, unknown>[] = top.map((t) => ({
    name: t.name,
    type: 'bar',
    stack: 'themes',
    data: t.counts,
  }));
  if (rest.length)
    series.push({
      name: 'Other themes',
      type: 'bar',
      stack: 'themes',
      itemStyle: { color: '#b1b4b6' },
      data: years.map((_, i) => rest.reduce((s, r) => s + (r.counts[i] ?? 0), 0)),
    });
  series.push({
    name: 'Repeats after completed actions',
    type: 'line',
    symbol: 'diamond',
    symbolSize: 12,
    itemStyle: { color: TEXT_COLOUR },
    lineStyle: { color: TEXT_COLOUR, type: 'dashed' },
    data: repeatsByYear,
  });
  return {
    id,
    title: 'Themes over time',
    summary,
    svg: rows.length
      ? chart(
          {
            grid: { left: 50, right: 20, top: 100, bottom: 30 },
            legend: { top: 0, type: 'plain', textStyle: { color: TEXT_COLOUR, fontSize: 12 } },
            xAxis: { type: 'category', data: years.map(String), axisLabel },
            yAxis: { type: 'value', minInterval: 1, axisLabel },
            series,
          },
          summaryId(id),
        )
      : null,
    table: {
      caption:
        'Reviews carrying each theme, by the year they were referred (repeats after completed or assured actions in brackets)',
      head: [
        words('Theme'),
        ...years.map((y) => ({ text: String(y), numeric: true })),
        { text: 'Total', numeric: true },
      ],
      rows: sorted.map((r) => [
        words(r.name),
        ...r.counts.map((c, i) => ({
          text: r.repeats[i] ? `${c} (${plural(r.repeats[i]!, 'repeat')})` : String(c),
          numeric: true,
        })),
        n(r.total),
      ]),
    },
  };
}

function audits(f: DashboardFigures): FigureView {
  const id = 'audits' as const;
  const rounds = f.audits.reduce((s, a) => s + a.rounds.length, 0);
  const summary =
    rounds === 0
      ? 'No audit rounds in this period.'
      : f.audits
          .map((a) => {
            const first = a.rounds[0]!;
            const last = a.rounds.at(-1)!;
            return a.rounds.length === 1
              ? `${a.agencyName}, “${a.question}”: ${last.percentage}% on ${formatDate(last.date)}`
              : `${a.agencyName}, “${a.question}”: ${first.percentage}% on ${formatDate(first.date)}, ${last.percentage}% on ${formatDate(last.date)}`;
          })
          .join('. ') + '.';
  return {
    id,
    title: 'Audit results over time',
    summary,
    svg: rounds
      ? chart(
          {
            grid: { left: 60, right: 30, top: 60, bottom: 40 },
            legend: { top: 0, textStyle: { color: TEXT_COLOUR, fontSize: 12 } },
            xAxis: { type: 'time', axisLabel },
            yAxis: { type: 'value', min: 0, max: 100, axisLabel: { ...axisLabel, formatter: '{value}%' } },
            series: f.audits.map((a) => ({
              name: `${a.agencyName}: ${a.question.length > 48 ? `${a.question.slice(0, 47)}…` : a.question}`,
              type: 'line',
              symbolSize: 9,
              data: a.rounds.map((r) => [r.date, r.percentage]),
            })),
          },
          summaryId(id),
        )
      : null,
    table: {
      caption: 'Audit rounds: compliant of those sampled',
      head: [
        words('Audit'),
        words('Agency'),
        words('Date'),
        { text: 'Compliant', numeric: true },
        { text: 'Sampled', numeric: true },
        { text: 'Percentage', numeric: true },
      ],
      rows: f.audits.flatMap((a) =>
        a.rounds.map((r) => [
          words(a.question),
          words(a.agencyName),
          words(formatDate(r.date)),
          n(r.compliant),
          n(r.sampled),
          { text: `${r.percentage}%`, numeric: true },
        ]),
      ),
    },
  };
}

function reReferrals(f: DashboardFigures, agencyChosen: boolean): FigureView {
  const id = 're-referrals' as const;
  const years = f.reReferrals;
  const last = years.at(-1);
  const summary =
    years.length === 0
      ? 'The front door has no monitoring data for this period.'
      : `Re-referrals within 12 months of a child's previous referral: ${years
          .map(
            (y) =>
              `${y.year} ${y.rate === null ? 'none' : `${y.rate}%`} (${y.reReferrals} of ${y.referrals})`,
          )
          .join(', ')}.${last && last.rate !== null ? ` Latest: ${last.rate}%.` : ''}`;
  return {
    id,
    title: 'Re-referrals within 12 months',
    summary,
    ...(agencyChosen
      ? { note: 'Re-referrals are to children’s social care: the agency filter does not apply to them.' }
      : {}),
    svg: years.length
      ? chart(
          {
            grid: { left: 60, right: 60, top: 40, bottom: 30 },
            legend: { top: 0, textStyle: { color: TEXT_COLOUR } },
            xAxis: { type: 'category', data: years.map((y) => String(y.year)), axisLabel },
            yAxis: [
              { type: 'value', name: 'Referrals', minInterval: 1, axisLabel, nameTextStyle: axisLabel },
              {
                type: 'value',
                name: 'Rate',
                min: 0,
                max: 100,
                axisLabel: { ...axisLabel, formatter: '{value}%' },
                nameTextStyle: axisLabel,
              },
            ],
            series: [
              {
                name: 'Referrals',
                type: 'bar',
                itemStyle: { color: '#5694ca' },
                data: years.map((y) => y.referrals),
              },
              {
                name: 'Re-referral rate',
                type: 'line',
                yAxisIndex: 1,
                symbolSize: 9,
                itemStyle: { color: '#d4351c' },
                data: years.map((y) => y.rate),
              },
            ],
          },
          summaryId(id),
        )
      : null,
    table: {
      caption: "Referrals to children's social care in the front door's monitoring data, by year",
      head: [
        words('Year'),
        { text: 'Referrals', numeric: true },
        { text: 'Re-referrals within 12 months', numeric: true },
        { text: 'Rate', numeric: true },
      ],
      rows: years.map((y) => [
        words(String(y.year)),
        n(y.referrals),
        n(y.reReferrals),
        { text: y.rate === null ? '–' : `${y.rate}%`, numeric: true },
      ]),
    },
  };
}

/** Every figure of the dashboard, in the order the board reads them. */
export function dashboardFigures(f: DashboardFigures, options: { agencyChosen: boolean }): FigureView[] {
  return [
    reviewsByStage(f),
    agencyReturns(f),
    actions(f),
    themes(f),
    audits(f),
    reReferrals(f, options.agencyChosen),
  ];
}
