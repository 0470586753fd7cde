import { stringify } from 'csv-stringify/sync';
import { stream, Worksheet } from 'exceljs';
import { PassThrough } from 'node:stream';
import { setImmediate } from 'node:timers/promises';
import type { AreaCounts, AreaFigures, AreaName, Areas, AttendanceReport, AttendanceRow, ReportFigures, ReportHeading } from './reports.types';

export interface ReportFile {
  content: Buffer;
  contentType: string;
  filename: string;
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The columns of the bookings table, in the CSV and on the "Rendez-vous" sheet. */
const ROW_COLUMNS: ReadonlyArray<{ key: keyof AttendanceRow; header: string; width: number }> = [
  { key: 'kind', header: 'Type', width: 12 },
  { key: 'date', header: 'Date', width: 12 },
  { key: 'time', header: 'Heure', width: 8 },
  { key: 'title', header: 'Intitulé', width: 40 },
  { key: 'organisation', header: 'Structure', width: 32 },
  { key: 'siret', header: 'SIRET', width: 16 },
  { key: 'legalForm', header: 'Forme juridique', width: 30 },
  { key: 'postcode', header: 'Code postal', width: 12 },
  { key: 'commune', header: 'Commune', width: 22 },
  { key: 'area', header: 'Métropole', width: 22 },
  { key: 'attendeeName', header: 'Nom', width: 26 },
  { key: 'attendeeEmail', header: 'E-mail', width: 32 },
  { key: 'topics', header: 'Thématiques', width: 60 },
  { key: 'status', header: 'Statut', width: 16 },
  { key: 'attendance', header: 'Présence', width: 16 },
];

/** The columns naming the attendee, left out for whoever does not see attendees. */
const ATTENDEE_COLUMNS: ReadonlyArray<keyof AttendanceRow> = ['attendeeName', 'attendeeEmail'];

function rowColumns(withAttendees: boolean): typeof ROW_COLUMNS {
  return withAttendees ? ROW_COLUMNS : ROW_COLUMNS.filter(({ key }) => !ATTENDEE_COLUMNS.includes(key));
}

type CountFigure = { [K in keyof ReportFigures]: ReportFigures[K] extends number | null ? K : never }[keyof ReportFigures];

/** The figures of the "Synthèse" sheet that are not about organisations, in order. */
const FIGURE_LABELS: ReadonlyArray<[CountFigure, string]> = [
  ['permanencesHeld', 'Permanences tenues'],
  ['permanencesScheduled', 'Permanences à venir ou en cours'],
  ['permanencesCancelled', 'Permanences annulées'],
  ['slotsOffered', 'Créneaux proposés'],
];

/** The figures of the "Synthèse" sheet split by the organisations' commune (AreaFigures), in order. */
export const AREA_FIGURE_LABELS: ReadonlyArray<[keyof AreaFigures, string]> = [
  ['slotsBooked', 'Créneaux réservés'],
  ['bookings', 'Réservations et inscriptions (hors annulations)'],
  ['attended', 'Présences'],
  ['noShows', 'Absences non excusées'],
  ['excused', 'Absences excusées'],
  ['attendanceRate', 'Taux de présence'],
  ['attendanceUnrecorded', 'Présences non renseignées (rendez-vous passés)'],
  ['organisations', 'Structures distinctes'],
  ['newOrganisations', 'Nouvelles structures'],
];

/** The columns of a figure split by area, after its total. */
export const AREA_HEADERS = ['Dans la Métropole', 'Hors Métropole', 'Commune non renseignée'];
const AREAS: ReadonlyArray<AreaName> = ['inMetropolis', 'outsideMetropolis', 'unknown'];

/**
 * The bookings as French spreadsheet software opens CSV: UTF-8 with a BOM, `;` between fields,
 * CRLF line ends (RFC 4180). Fields starting with = + - @ are prefixed with a quote so that a name
 * typed by the public cannot become a formula.
 */
export function attendanceCsv(report: AttendanceReport, withAttendees: boolean): ReportFile {
  const csv = stringify(report.rows, {
    bom: true,
    delimiter: ';',
    record_delimiter: '\r\n',
    header: true,
    escape_formulas: true,
    columns: rowColumns(withAttendees).map(({ key, header }) => ({ key, header })),
  });
  return { content: Buffer.from(csv, 'utf8'), contentType: 'text/csv; charset=utf-8', filename: `rapport-${report.from}-${report.to}.csv` };
}

/** Rows written between two turns of the event loop: a year's 10,000 rows take about half a second. */
const ROWS_PER_TURN = 500;

/**
 * A workbook with the figures ("Synthèse") and the bookings ("Rendez-vous"), written by exceljs's
 * streaming writer (rows are serialised as they are added) at the fastest deflate level. The rows
 * come first and the figures after them (so that the figures can be computed meanwhile); the
 * summary is still the first sheet.
 */
export class AttendanceWorkbook {
  private readonly chunks: Buffer[] = [];
  private readonly workbook: InstanceType<typeof stream.xlsx.WorkbookWriter>;
  private readonly summary: Worksheet;
  private readonly rows: Worksheet;
  private readonly columns: typeof ROW_COLUMNS;

  constructor(
    private readonly heading: ReportHeading,
    withAttendees: boolean,
  ) {
    this.columns = rowColumns(withAttendees);
    const output = new PassThrough();
    output.on('data', (chunk: Buffer) => this.chunks.push(chunk));
    this.workbook = new stream.xlsx.WorkbookWriter({
      stream: output,
      useStyles: true,
      useSharedStrings: false,
      zip: { zlib: { level: 1 } },
    });
    this.workbook.creator = 'Rendez-vous ESS';
    this.summary = this.workbook.addWorksheet('Synthèse');
    this.rows = this.workbook.addWorksheet('Rendez-vous', { views: [{ state: 'frozen', ySplit: 1 }] });
  }

  /** Writes the rows sheet, yielding to the event loop every ROWS_PER_TURN rows (other requests go on). */
  async addRows(rows: AttendanceRow[]): Promise<void> {
    const sheet = this.rows;
    sheet.columns = this.columns.map(({ key, header, width }) => ({ key, header, width }));
    sheet.getRow(1).font = { bold: true };
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: this.columns.length } };
    // One style object for every cell of the rows: exceljs remembers the style id of an object it has
    // seen, so the 140,000 cells of a year cost one style lookup instead of one each (half the time of
    // the whole workbook). They have no style of their own; the header row keeps its bold font.
    const plain = {};
    for (let start = 0; start < rows.length; start += ROWS_PER_TURN) {
      if (start > 0) await setImmediate();
      for (const row of rows.slice(start, start + ROWS_PER_TURN)) {
        const added = sheet.addRow(row);
        added.eachCell({ includeEmpty: true }, (cell) => {
          cell.style = plain;
        });
        added.commit();
      }
    }
    sheet.commit();
  }

  /** Adds sheets after the rows sheet (the bilan's: reports.service.ts). */
  addSheets(add: (workbook: { addWorksheet(name: string): Worksheet }) => void): void {
    add(this.workbook);
  }

  /** Writes the summary sheet and returns the file. */
  async finish(figures: ReportFigures): Promise<ReportFile> {
    summarySheet(this.summary, this.heading, figures);
    await this.workbook.commit();
    return { content: Buffer.concat(this.chunks), contentType: XLSX_TYPE, filename: `rapport-${this.heading.from}-${this.heading.to}.xlsx` };
  }
}

function summarySheet(sheet: Worksheet, report: ReportHeading, figures: ReportFigures): void {
  sheet.columns = [{ width: 48 }, ...Array.from({ length: 8 }, () => ({ width: 16 }))];
  sheet.addRow([`Rapport de fréquentation du ${report.from} au ${report.to} (${report.timeZone})`]).font = { bold: true, size: 13 };
  sheet.addRow([`« Dans la Métropole » : une commune de ${figures.metropolis.name} (SIREN ${figures.metropolis.siren})`]);
  sheet.addRow([]);
  for (const [key, label] of FIGURE_LABELS) sheet.addRow([label, figures[key]]);
  sheet.addRow(['Rendez-vous et structures', 'Total', ...AREA_HEADERS]).font = { bold: true };
  for (const [key, label] of AREA_FIGURE_LABELS) {
    const all = [figures[key], ...AREAS.map((area) => figures.byArea[area][key])];
    const row = sheet.addRow([label, ...all.map((value) => (key === 'attendanceRate' && value === null ? 'non calculable' : value))]);
    if (key === 'attendanceRate') for (let cell = 2; cell <= 5; cell++) row.getCell(cell).numFmt = '0.0 %';
  }
  table(
    sheet,
    'Par forme juridique',
    ['Forme juridique', 'Réservations', ...AREA_HEADERS, 'Structures', ...AREA_HEADERS],
    figures.byLegalForm.map((row) => [row.label, ...splitCounts(row, row.areas)]),
  );
  table(
    sheet,
    'Par thématique',
    ['Thématique', 'Réservations', ...AREA_HEADERS, 'Structures', ...AREA_HEADERS],
    figures.byTopic.map((row) => [row.label, ...splitCounts(row, row.areas)]),
  );
  table(
    sheet,
    'Par commune',
    ['Commune', 'Métropole', 'Réservations', 'Structures'],
    figures.byCommune.map((row) => [row.commune, AREA_WORDS[row.area], row.bookings, row.organisations]),
  );
  table(
    sheet,
    'Ateliers',
    [
      'Atelier',
      'Date',
      'Places',
      'Inscrits',
      'Liste d’attente',
      'Présents',
      'Inscrits de la Métropole',
      'Présents de la Métropole',
      'Inscrits hors Métropole',
      'Présents hors Métropole',
      'Inscrits sans commune renseignée',
      'Présents sans commune renseignée',
    ],
    figures.workshops.map((row) => [
      row.status === 'cancelled' ? `${row.title} (annulé)` : row.title,
      `${row.date} ${row.time}`,
      row.seats,
      row.registered,
      row.waitlisted,
      row.attended,
      row.areas.inMetropolis.registered,
      row.areas.inMetropolis.attended,
      row.areas.outsideMetropolis.registered,
      row.areas.outsideMetropolis.attended,
      row.areas.unknown.registered,
      row.areas.unknown.attended,
    ]),
  );
}

const AREA_WORDS: Record<AreaName, string> = { inMetropolis: 'dans la Métropole', outsideMetropolis: 'hors Métropole', unknown: 'commune non renseignée' };

/** Bookings (total, then each area), then organisations likewise. */
function splitCounts(total: AreaCounts, areas: Areas<AreaCounts>): number[] {
  return [total.bookings, ...AREAS.map((area) => areas[area].bookings), total.organisations, ...AREAS.map((area) => areas[area].organisations)];
}

function table(sheet: Worksheet, title: string, headers: string[], rows: Array<Array<string | number>>): void {
  sheet.addRow([]);
  sheet.addRow([title]).font = { bold: true, size: 12 };
  sheet.addRow(headers).font = { bold: true };
  for (const row of rows.length > 0 ? rows : [['Aucune donnée']]) sheet.addRow(row);
}
