import { stringify } from 'csv-stringify/sync';
import { Workbook } from 'exceljs';
import type { Registrant } from './registrants.repository';

export interface DownloadFile {
  content: Buffer;
  contentType: string;
  filename: string;
}

type Cell = string | number;

/** How the list is written: the programme's zone for times, the legal forms as the lists name them now. */
export interface ListContext {
  zone: string;
  legalForm: (code: string | null) => string | null;
  /** The commune's name (Etalab's data, src/territory/) of an INSEE code. */
  commune: (code: string) => string | null;
}

const COLUMNS: ReadonlyArray<{ header: string; width: number; value: (row: Registrant, context: ListContext) => Cell }> = [
  { header: 'Statut', width: 16, value: (row) => (row.status === 'confirmed' ? 'Inscrit·e' : `Liste d’attente (${row.waitlistPosition})`) },
  { header: 'Nom', width: 26, value: (row) => row.attendeeName },
  { header: 'E-mail', width: 32, value: (row) => row.attendeeEmail },
  { header: 'Téléphone', width: 16, value: (row) => row.attendeePhone ?? '' },
  { header: 'Structure', width: 32, value: (row) => row.organisationName },
  { header: 'SIRET', width: 16, value: (row) => row.organisationSiret ?? '' },
  {
    header: 'Forme juridique',
    width: 30,
    value: (row, context) => context.legalForm(row.organisationLegalForm) ?? '',
  },
  { header: 'Code postal', width: 12, value: (row) => row.organisationPostcode ?? '' },
  { header: 'Commune', width: 22, value: (row, context) => (row.organisationCommuneCode ? (context.commune(row.organisationCommuneCode) ?? '') : '') },
  { header: 'Inscription', width: 18, value: (row, context) => localStamp(row.createdAt, context.zone) },
  { header: 'Accord donné oralement à', width: 24, value: (row) => row.consentGivenTo ?? '' },
];

function localStamp(instant: Date, zone: string): string {
  return new Intl.DateTimeFormat('fr-FR', { timeZone: zone, dateStyle: 'short', timeStyle: 'short' }).format(instant);
}

/** As the reports' CSV (reports.export.ts): UTF-8 with a BOM, `;`, CRLF, formulas neutralised. */
export function registrantsCsv(rows: Registrant[], context: ListContext, filename: string): DownloadFile {
  const csv = stringify(
    rows.map((row) => COLUMNS.map((column) => column.value(row, context))),
    { bom: true, delimiter: ';', record_delimiter: '\r\n', escape_formulas: true, header: true, columns: COLUMNS.map((column) => column.header) },
  );
  return { content: Buffer.from(csv, 'utf8'), contentType: 'text/csv; charset=utf-8', filename: `${filename}.csv` };
}

/** One sheet, a heading row frozen and filtered. A workshop's list is small: written in memory. */
export async function registrantsXlsx(rows: Registrant[], context: ListContext, filename: string, sheetName: string): Promise<DownloadFile> {
  const workbook = new Workbook();
  workbook.creator = 'Rendez-vous ESS';
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = COLUMNS.map(({ header, width }) => ({ header, width }));
  sheet.getRow(1).font = { bold: true };
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: COLUMNS.length } };
  for (const row of rows) sheet.addRow(COLUMNS.map((column) => column.value(row, context)));
  const content = Buffer.from(await workbook.xlsx.writeBuffer());
  return { content, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', filename: `${filename}.xlsx` };
}
