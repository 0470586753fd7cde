import PDFDocument from 'pdfkit';
import { createRequire } from 'node:module';

/** DejaVu Sans, embedded (subset): every French character, the apostrophe ’ and the « » quotes included. */
const FONTS = (() => {
  const require = createRequire(__filename);
  return {
    regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
    bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
    // Tables' cells: long names and organisations fit a portrait page.
    condensed: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSansCondensed.ttf'),
    condensedBold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSansCondensed-Bold.ttf'),
  };
})();

export type PdfDoc = InstanceType<typeof PDFDocument>;

/**
 * An A4 French document of the service (sign-in sheets, certificates, the bilan): DejaVu registered as
 * 'regular', 'bold', 'condensed' and 'condensed-bold', `lang` fr-FR, the title shown, Creator and
 * Producer named, and `bytes` once `doc.end()` is called. Give `info` fixed `CreationDate` and
 * `ModDate`: pdfkit derives the document's ID from them, so the same data give the same bytes.
 */
export function frenchPdf(options: { margin: number; bufferPages?: boolean; info: PDFKit.DocumentInfo }): { doc: PdfDoc; bytes: Promise<Buffer> } {
  const { margin } = options;
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: margin, bottom: margin, left: margin, right: margin },
    bufferPages: options.bufferPages ?? false,
    lang: 'fr-FR',
    displayTitle: true,
    info: { ...options.info, Creator: 'Rendez-vous ESS', Producer: 'Rendez-vous ESS' },
  });
  doc.registerFont('regular', FONTS.regular);
  doc.registerFont('bold', FONTS.bold);
  doc.registerFont('condensed', FONTS.condensed);
  doc.registerFont('condensed-bold', FONTS.condensedBold);
  const chunks: Buffer[] = [];
  const bytes = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return { doc, bytes };
}
