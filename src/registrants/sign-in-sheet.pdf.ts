import { frenchPdf } from '../common/pdf';
import type { ProgrammeIdentity } from '../config/app-config';

export interface SignInColumn {
  header: string;
  /** A share of the table's width; the signature column takes what is left. */
  width: number;
}

export interface SignInSheet {
  identity: ProgrammeIdentity;
  /** "Atelier « … »" or "Permanence de la CRESS". */
  title: string;
  date: string;
  time: string;
  place: string;
  columns: SignInColumn[];
  /** One line per confirmed person, the cells in the order of `columns`. */
  rows: string[][];
  /** Empty, numbered lines for people who come without registering. */
  blankLines: number;
  /** The document's creation date, fixed so that the same data gives the same file. */
  createdAt: Date;
}

const A4_MARGIN = 40;
const ROW_HEIGHT = 30;
const HEADER_HEIGHT = 22;
const NUMBER_WIDTH = 24;
const SIGNATURE_HEADER = 'Signature';

/**
 * The sign-in sheet (feuille d’émargement) funders ask for as proof of attendance: A4, the CRESS'
 * identity, the event, one line per person with a signature box, empty lines for walk-ins and
 * "Page n / N" at the foot of each page. The same data gives the same bytes (fixed dates and ids).
 */
export function signInSheetPdf(sheet: SignInSheet): Promise<Buffer> {
  const { doc, bytes: done } = frenchPdf({
    margin: A4_MARGIN,
    bufferPages: true,
    info: {
      Title: `Feuille d’émargement – ${sheet.title} – ${sheet.date}`,
      Author: sheet.identity.name,
      CreationDate: sheet.createdAt,
      ModDate: sheet.createdAt,
    },
  });

  const left = A4_MARGIN;
  const width = doc.page.width - 2 * A4_MARGIN;
  const bottom = doc.page.height - A4_MARGIN - 24;
  const shares = sheet.columns.reduce((sum, column) => sum + column.width, 0);
  const signatureWidth = Math.max(110, width * 0.24);
  const cellsWidth = width - NUMBER_WIDTH - signatureWidth;
  const widths = [NUMBER_WIDTH, ...sheet.columns.map((column) => (cellsWidth * column.width) / shares), signatureWidth];
  const headers = ['N°', ...sheet.columns.map((column) => column.header), SIGNATURE_HEADER];

  const drawHeading = (first: boolean) => {
    doc
      .font('bold')
      .fontSize(first ? 11 : 9)
      .fillColor('black')
      .text(sheet.identity.name, left, A4_MARGIN, { width });
    if (first) {
      doc.font('regular').fontSize(8).text(`${sheet.identity.legalName} – ${sheet.identity.address} – ${sheet.identity.contactEmail}`, { width });
      doc.moveDown(0.8);
      doc.font('bold').fontSize(16).text('Feuille d’émargement', { width });
      doc.moveDown(0.3);
      doc.font('bold').fontSize(12).text(sheet.title, { width });
      doc.font('regular').fontSize(10);
      doc.text(`Date : ${sheet.date}`, { width });
      doc.text(`Horaire : ${sheet.time}`, { width });
      doc.text(`Lieu : ${sheet.place}`, { width });
      doc.moveDown(0.3);
      doc
        .fontSize(8)
        .fillColor('#333333')
        .text('En signant, chaque participant·e atteste de sa présence. Cette feuille est conservée comme justificatif auprès des financeurs du programme.', {
          width,
        });
      doc.fillColor('black');
    } else {
      doc.font('regular').fontSize(9).text(`Feuille d’émargement – ${sheet.title} – ${sheet.date}`, { width });
    }
    doc.moveDown(0.8);
    return doc.y;
  };

  const drawRow = (y: number, cells: string[], height: number, header: boolean) => {
    let x = left;
    doc.lineWidth(0.6).strokeColor('#444444');
    if (header) doc.rect(left, y, width, height).fillAndStroke('#e8e8e8', '#444444');
    const size = header ? 9 : 9.5;
    doc
      .fillColor('black')
      .font(header ? 'condensed-bold' : 'condensed')
      .fontSize(size);
    widths.forEach((cellWidth, index) => {
      doc.rect(x, y, cellWidth, height).stroke();
      const value = cells[index] ?? '';
      if (value && doc.widthOfString(value) <= cellWidth - 8) {
        doc.text(value, x + 4, y + (height - 11) / 2, { width: cellWidth - 8, height: 12, lineBreak: false });
      } else if (value) {
        // A long name or organisation takes two smaller lines before it is shortened.
        doc.fontSize(8).text(value, x + 4, y + 4, { width: cellWidth - 8, height: height - 6, ellipsis: true });
        doc.fontSize(size);
      }
      x += cellWidth;
    });
  };

  let y = drawHeading(true);
  drawRow(y, headers, HEADER_HEIGHT, true);
  y += HEADER_HEIGHT;
  const lines = [...sheet.rows, ...Array.from({ length: sheet.blankLines }, () => [] as string[])];
  lines.forEach((cells, index) => {
    if (y + ROW_HEIGHT > bottom) {
      doc.addPage();
      y = drawHeading(false);
      drawRow(y, headers, HEADER_HEIGHT, true);
      y += HEADER_HEIGHT;
    }
    drawRow(y, [String(index + 1), ...cells], ROW_HEIGHT, false);
    y += ROW_HEIGHT;
  });
  if (sheet.rows.length === 0 && sheet.blankLines === 0) {
    doc
      .font('regular')
      .fontSize(10)
      .text('Personne n’est inscrit.', left, y + 10, { width });
  }

  const range = doc.bufferedPageRange();
  for (let page = range.start; page < range.start + range.count; page++) {
    doc.switchToPage(page);
    // Writing inside the bottom margin would open a new page: lift the margin while the footer is written.
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font('regular')
      .fontSize(8)
      .fillColor('#333333')
      .text(`${sheet.identity.name} – ${sheet.title} – ${sheet.date}`, left, doc.page.height - A4_MARGIN - 4, {
        width: width - 80,
        lineBreak: false,
        ellipsis: true,
      })
      .text(`Page ${page - range.start + 1} / ${range.count}`, left + width - 80, doc.page.height - A4_MARGIN - 4, {
        width: 80,
        align: 'right',
        lineBreak: false,
      });
    doc.page.margins.bottom = margin;
  }
  doc.end();
  return done;
}
