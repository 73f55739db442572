import { loadExcelJS } from './load-on-use.ts';
import { ACTION_STATUS_LABELS, type ActionStatus } from '../domain/actions/status.ts';
import { ragText, type Rag } from '../domain/actions/rag.ts';
import { csvField, neutraliseFormula } from './chronology-writer.ts';

export interface ExportedAction {
  reviewReference: string;
  number: number;
  what: string;
  agencyName: string;
  leadName: string;
  dueDate: string;
  successMeasure: string;
  status: ActionStatus;
  rag: Rag;
}

const HEADER = [
  'review',
  'action',
  'what',
  'owning_agency',
  'lead',
  'due_date',
  'success_measure',
  'status',
  'rag',
];

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]/g;
const cell = (v: string) => neutraliseFormula(v.replace(CONTROL, ''));

/** One row per action; text a spreadsheet will not run as a formula. */
function cells(a: ExportedAction): string[] {
  return [
    a.reviewReference,
    `A${a.number}`,
    a.what,
    a.agencyName,
    a.leadName,
    a.dueDate,
    a.successMeasure,
    ACTION_STATUS_LABELS[a.status],
    ragText(a, a.rag),
  ].map(cell);
}

export function actionsToCsv(actions: readonly ExportedAction[]): string {
  const line = (c: readonly string[]) => c.map(csvField).join(',') + '\r\n';
  return '\uFEFF' + line(HEADER) + actions.map((a) => line(cells(a))).join('');
}

/** An Excel workbook with one "Actions" sheet, header frozen, every cell text. */
export async function actionsToXlsx(actions: readonly ExportedAction[]): Promise<Buffer> {
  const Excel = await loadExcelJS();
  const workbook = new Excel.Workbook();
  const sheet = workbook.addWorksheet('Actions', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = HEADER.map((name) => ({
    key: name,
    width: name === 'what' || name === 'success_measure' ? 60 : Math.max(12, name.length + 2),
  }));
  sheet.addRow(HEADER).font = { bold: true };
  for (const a of actions) sheet.addRow(cells(a));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
