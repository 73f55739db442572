import { createRequire } from 'node:module';
import type { EChartsCoreOption } from 'echarts/core';
import { cleanChartSvg } from './svg-clean.ts';

type ECharts = typeof import('echarts');
let loaded: ECharts | undefined;
/**
 * ECharts is loaded when the first chart is drawn, from its single-file build: its modules as ES
 * modules cost every process that starts (the service, each command) over a second, and only the
 * dashboard draws charts.
 */
const echarts = (): ECharts => (loaded ??= createRequire(import.meta.url)('echarts') as ECharts);

/** GOV.UK Frontend's colours, in an order that keeps neighbouring series apart. */
export const CHART_COLOURS = [
  '#1d70b8',
  '#f47738',
  '#00703c',
  '#4c2c92',
  '#d4351c',
  '#28a197',
  '#d53880',
  '#505a5f',
  '#b58840',
  '#5694ca',
];
export const TEXT_COLOUR = '#0b0c0c';

/**
 * A chart drawn on the server as SVG by ECharts (server-side rendering: no browser, no script on
 * the page), cleaned for our Content Security Policy (svg-clean.ts). No animation: the SVG is final.
 */
export function renderChart(
  option: EChartsCoreOption,
  size: { width: number; height: number },
  labelledBy: string,
): string {
  const chart = echarts().init(null, null, {
    renderer: 'svg',
    ssr: true,
    width: size.width,
    height: size.height,
  });
  try {
    chart.setOption({
      animation: false,
      color: CHART_COLOURS,
      textStyle: { fontFamily: 'arial, sans-serif', fontSize: 14, color: TEXT_COLOUR },
      ...option,
    });
    return cleanChartSvg(chart.renderToSVGString(), { labelledBy, className: 'app-chart__svg' });
  } finally {
    chart.dispose();
  }
}
