import { formatDate } from '../../domain/calendar/format.ts';
import { percentage, trend, type AuditRound } from '../../domain/actions/audit-results.ts';

const W = 560;
const H = 260;
const PAD = { left: 48, right: 24, top: 16, bottom: 48 };

/**
 * A line chart of an audit's compliance across rounds, as numbers for an SVG the template draws
 * (0–100% on the y axis, rounds evenly spaced by date order), with its text alternative.
 */
export function auditChart(rounds: readonly AuditRound[], title: string) {
  const sorted = [...rounds].sort((a, b) => a.roundDate.localeCompare(b.roundDate));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (sorted.length === 1 ? plotW / 2 : (i * plotW) / (sorted.length - 1));
  const y = (pct: number) => PAD.top + plotH - (pct / 100) * plotH;
  const points = sorted.map((r, i) => ({
    x: round1(x(i)),
    y: round1(y(percentage(r))),
    percentage: percentage(r),
    label: formatDate(r.roundDate),
    compliant: r.compliant,
    sampled: r.sampled,
  }));
  const direction = trend(sorted);
  const summary = points.length
    ? `${title}: ${points.map((p) => `${p.label} ${p.percentage}% (${p.compliant} of ${p.sampled})`).join('; ')}. Trend: ${direction}.`
    : `${title}: no rounds recorded yet.`;
  return {
    width: W,
    height: H,
    plot: { left: PAD.left, right: W - PAD.right, top: PAD.top, bottom: H - PAD.bottom },
    gridlines: [0, 25, 50, 75, 100].map((pct) => ({ pct, y: round1(y(pct)) })),
    points,
    polyline: points.map((p) => `${p.x},${p.y}`).join(' '),
    trend: direction,
    summary,
  };
}

const round1 = (n: number) => Math.round(n * 10) / 10;
