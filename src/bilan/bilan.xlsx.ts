import { Workbook, Worksheet } from 'exceljs';
import { bilanSections } from './bilan-tables';
import type { Bilan } from './bilan.types';
import { shortDate } from './bilan-tables';

/** Sheet names (31 characters at most in Excel). */
const SHEET_NAMES = {
  organisations: 'Structures',
  permanences: 'Permanences',
  months: 'Par mois',
  topics: 'Thématiques',
  legalForms: 'Formes juridiques',
  communes: 'Communes',
  orientations: 'Orientations',
  workshops: 'Ateliers',
  satisfaction: 'Satisfaction',
} as const;

/** What both exceljs workbooks (in memory, and the reports' streaming writer) offer. */
export interface SheetHolder {
  addWorksheet(name: string): Worksheet;
}

/**
 * One sheet per section of the bilan: its sentence, then its tables of figures. `prefix` names them
 * apart in a workbook that has sheets of its own (the reports' "Bilan – Structures", …).
 */
export function addBilanSheets(workbook: SheetHolder, bilan: Bilan, prefix = ''): void {
  for (const section of bilanSections(bilan)) {
    const sheet = workbook.addWorksheet(`${prefix}${SHEET_NAMES[section.key]}`);
    sheet.columns = [{ width: 48 }, { width: 20 }, { width: 18 }, { width: 24 }, { width: 24 }, { width: 18 }, { width: 18 }];
    sheet.addRow([`${section.title} – du ${shortDate(bilan.from)} au ${shortDate(bilan.to)}`]).font = { bold: true, size: 13 };
    sheet.addRow([bilan.sentences[section.key]]);
    for (const table of section.tables) {
      sheet.addRow([]);
      sheet.addRow([table.caption]).font = { bold: true, size: 12 };
      sheet.addRow(table.headers).font = { bold: true };
      for (const row of table.rows.length > 0 ? table.rows : [[table.empty]]) sheet.addRow(row);
    }
  }
}

/** The bilan's own workbook. */
export async function bilanWorkbook(bilan: Bilan): Promise<Buffer> {
  const workbook = new Workbook();
  workbook.creator = 'Rendez-vous ESS';
  // Fixed dates: the same figures give the same file contents.
  workbook.created = workbook.modified = new Date(`${bilan.to}T00:00:00Z`);
  addBilanSheets(workbook, bilan);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
