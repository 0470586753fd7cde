import { frenchPdf, PdfDoc } from '../common/pdf';
import type { ProgrammeIdentity } from '../config/app-config';
import type { Chart } from './bilan-charts';
import { bilanSections, Cell, FigureTable, SectionKey, shortDate } from './bilan-tables';
import type { Bilan } from './bilan.types';

const MARGIN = 40;
const INK = '#1b1f24';
const MUTED = '#4a5360';
const LABEL_WIDTH = 170;

type Doc = PdfDoc;

/**
 * The bilan as an A4 PDF, with the page's content: for each section its sentence, its chart (bars
 * drawn with pdfkit from the same data as the page's SVG) and its tables. The same bilan and
 * `createdAt` give the same bytes.
 */
export function bilanPdf(bilan: Bilan, charts: Record<SectionKey, Chart>, identity: ProgrammeIdentity, createdAt: Date): Promise<Buffer> {
  const title = `Bilan du programme du ${shortDate(bilan.from)} au ${shortDate(bilan.to)}`;
  const { doc, bytes: done } = frenchPdf({
    margin: MARGIN,
    bufferPages: true,
    info: { Title: title, Author: identity.name, CreationDate: createdAt, ModDate: createdAt },
  });
  const width = doc.page.width - 2 * MARGIN;
  const bottom = () => doc.page.height - MARGIN - 20;
  /** A new page unless `height` still fits on this one. */
  const room = (height: number) => {
    if (doc.y + height > bottom()) {
      doc.addPage();
      doc.y = MARGIN;
    }
  };

  doc.font('bold').fontSize(11).fillColor(INK).text(identity.name, MARGIN, MARGIN, { width });
  doc.moveDown(0.6);
  doc.font('bold').fontSize(18).text(title, { width });
  doc.font('regular').fontSize(10).fillColor(MUTED).text(`Programme d’accompagnement des structures de l’ESS soutenu par ${bilan.metropolis}.`, { width });
  doc.fillColor(INK);

  for (const section of bilanSections(bilan)) {
    doc.moveDown(1);
    room(120);
    doc.font('bold').fontSize(14).fillColor(INK).text(section.title, MARGIN, doc.y, { width });
    doc.moveDown(0.2);
    doc.font('regular').fontSize(10).text(bilan.sentences[section.key], { width });
    doc.moveDown(0.5);
    drawChart(doc, charts[section.key], width, room);
    for (const table of section.tables) drawTable(doc, table, width, room);
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
      .fillColor(MUTED)
      .text(`${identity.name} – ${title}`, MARGIN, doc.page.height - MARGIN - 4, { width: width - 80, lineBreak: false, ellipsis: true })
      .text(`Page ${page - range.start + 1} / ${range.count}`, MARGIN + width - 80, doc.page.height - MARGIN - 4, {
        width: 80,
        align: 'right',
        lineBreak: false,
      });
    doc.page.margins.bottom = margin;
  }
  doc.end();
  return done;
}

/** Horizontal bars, side by side per series or stacked, each value written at its bar's end, a legend below. */
function drawChart(doc: Doc, chart: Chart, width: number, room: (height: number) => void): void {
  if (chart.categories.length === 0) return;
  const stacked = chart.stacked === true;
  const several = chart.series.length > 1;
  const bar = several && !stacked ? 8 : 11;
  const group = (stacked ? 1 : chart.series.length) * bar + 5;
  const totals = chart.categories.map((_, index) =>
    stacked ? chart.series.reduce((sum, serie) => sum + (serie.values[index] ?? 0), 0) : Math.max(...chart.series.map((serie) => serie.values[index] ?? 0)),
  );
  const max = Math.max(1, ...totals);
  const area = width - LABEL_WIDTH - 40;
  const legend = several ? 16 : 0;
  room(Math.min(18 + chart.categories.length * group + legend, 400));
  doc.font('bold').fontSize(9).fillColor(INK).text(chart.title, MARGIN, doc.y, { width });
  doc.moveDown(0.3);
  let y = doc.y;
  chart.categories.forEach((category, index) => {
    if (y + group > doc.page.height - MARGIN - 20) {
      doc.addPage();
      y = MARGIN;
    }
    doc
      .font('condensed')
      .fontSize(8)
      .fillColor(INK)
      .text(category, MARGIN, y + (group - 5) / 2 - 4, { width: LABEL_WIDTH - 6, lineBreak: false, ellipsis: true, height: 10 });
    let x = MARGIN + LABEL_WIDTH;
    chart.series.forEach((serie, position) => {
      const value = serie.values[index] ?? 0;
      const length = (value / max) * area;
      const top = stacked ? y : y + position * bar;
      if (length > 0) doc.rect(x, top, length, bar - 1).fill(serie.color);
      if (stacked) x += length;
      else
        doc
          .font('condensed')
          .fontSize(7)
          .fillColor(INK)
          .text(String(value), x + length + 3, top + 1, { lineBreak: false });
    });
    if (stacked)
      doc
        .font('condensed')
        .fontSize(7)
        .fillColor(INK)
        .text(String(totals[index]), x + 3, y + 1.5, { lineBreak: false });
    doc
      .moveTo(MARGIN + LABEL_WIDTH, y - 1)
      .lineTo(MARGIN + LABEL_WIDTH, y + group - 3)
      .lineWidth(0.5)
      .strokeColor('#6b7480')
      .stroke();
    y += group;
  });
  if (several) {
    let x = MARGIN + LABEL_WIDTH;
    for (const serie of chart.series) {
      doc.rect(x, y + 3, 7, 7).fill(serie.color);
      doc
        .font('condensed')
        .fontSize(8)
        .fillColor(INK)
        .text(serie.name, x + 10, y + 2, { lineBreak: false });
      x += 20 + doc.widthOfString(serie.name);
    }
    y += legend;
  }
  doc.y = y + 6;
  doc.x = MARGIN;
}

/** A table of figures: its caption, a grey header row, rows as high as their longest cell needs. */
function drawTable(doc: Doc, table: FigureTable, width: number, room: (height: number) => void): void {
  const first = table.headers.length <= 2 ? width * 0.6 : table.headers.length >= 5 ? width * 0.3 : width * 0.45;
  const widths = [first, ...table.headers.slice(1).map(() => (width - first) / (table.headers.length - 1))];
  // No header word cut in two (« Questionnaires envoyés » in a seven-column table): the first column gives the room.
  doc.font('condensed-bold').fontSize(8.5);
  table.headers.forEach((header, index) => {
    const needed = Math.max(...header.split(/\s+/).map((word) => doc.widthOfString(word))) + 8;
    if (index > 0 && widths[index] < needed) {
      widths[0] -= needed - widths[index];
      widths[index] = needed;
    }
  });
  // The comments' text gets the room.
  if (table.headers[table.headers.length - 1] === 'Commentaire') widths.splice(0, widths.length, 60, 150, 40, width - 250);
  room(50);
  doc
    .font('bold')
    .fontSize(9)
    .fillColor(INK)
    .text(table.caption, MARGIN, doc.y + 4, { width });
  doc.moveDown(0.2);
  // Figures right-aligned, and their column's header with them.
  const numeric = table.headers.map((_, index) => index > 0 && table.rows.length > 0 && table.rows.every((cells) => typeof cells[index] === 'number'));
  const row = (cells: Cell[], header: boolean) => {
    doc.font(header ? 'condensed-bold' : 'condensed').fontSize(8.5);
    const height = Math.max(14, ...cells.map((cell, index) => doc.heightOfString(String(cell), { width: widths[index] - 6 }) + 5));
    room(height);
    const y = doc.y;
    if (header) doc.rect(MARGIN, y, width, height).fill('#e8ecef');
    let x = MARGIN;
    cells.forEach((cell, index) => {
      doc
        .fillColor(INK)
        .font(header ? 'condensed-bold' : 'condensed')
        .fontSize(8.5)
        .text(String(cell), x + 3, y + 3, { width: widths[index] - 6, align: numeric[index] || (index > 0 && typeof cell === 'number') ? 'right' : 'left' });
      x += widths[index];
    });
    doc
      .moveTo(MARGIN, y + height)
      .lineTo(MARGIN + width, y + height)
      .lineWidth(0.4)
      .strokeColor('#c9d0d8')
      .stroke();
    doc.y = y + height;
  };
  row(table.headers, true);
  if (table.rows.length === 0) row([table.empty], false);
  for (const cells of table.rows) row(cells, false);
  doc.x = MARGIN;
  doc.moveDown(0.4);
}
