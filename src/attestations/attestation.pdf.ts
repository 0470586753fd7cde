import PDFDocument from 'pdfkit';
import { createRequire } from 'node:module';
import type { ProgrammeIdentity } from '../config/app-config';

/** DejaVu Sans, embedded (subset), as on the sign-in sheets: every French character, ’ and « » included. */
const fonts = (() => {
  const require = createRequire(__filename);
  return {
    regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
    bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
  };
})();

/** Everything a certificate says, already worded in French (dates and times in the programme's time zone). */
export interface Attestation {
  identity: ProgrammeIdentity;
  reference: string;
  attendeeName: string;
  organisationName: string;
  workshopTitle: string;
  /** "jeudi 18 mars 2027" */
  date: string;
  /** "9 h" and "12 h 30" */
  startTime: string;
  endTime: string;
  /** "3 h 30 min" */
  duration: string;
  place: string;
  /**
   * When the certificate is dated: the end of the workshop, never the time of the download, so the
   * same data give the same bytes (pdfkit derives the document's ID from these dates and the info).
   */
  issuedAt: Date;
}

const MARGIN = 56;
const GREY = '#333333';

/**
 * The « attestation de présence » a workshop attendee marked present downloads: A4, the CRESS'
 * identity, one sentence stating the attendance, the details as label and value, the reference.
 */
export function attestationPdf(attestation: Attestation): Promise<Buffer> {
  const { identity } = attestation;
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    lang: 'fr-FR',
    displayTitle: true,
    info: {
      Title: `Attestation de présence – Atelier « ${attestation.workshopTitle} » – ${attestation.date}`,
      Author: identity.legalName,
      Subject: `Attestation de présence ${attestation.reference}`,
      Creator: 'Rendez-vous ESS',
      Producer: 'Rendez-vous ESS',
      CreationDate: attestation.issuedAt,
      ModDate: attestation.issuedAt,
    },
  });
  doc.registerFont('regular', fonts.regular);
  doc.registerFont('bold', fonts.bold);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const left = MARGIN;
  const width = doc.page.width - 2 * MARGIN;

  // Who issues it.
  doc.font('bold').fontSize(13).fillColor('black').text(identity.name, left, MARGIN, { width });
  doc.font('regular').fontSize(9).fillColor(GREY);
  doc.text(identity.legalName, { width });
  doc.text(identity.address, { width });
  doc.text(`Contact : ${identity.contactEmail}`, { width });
  doc.moveDown(0.6);
  doc.text(`Référence : ${attestation.reference}`, { width, align: 'right' });

  doc.moveDown(2.5);
  doc.font('bold').fontSize(22).fillColor('black').text('Attestation de présence', { width, align: 'center' });
  doc.moveDown(2);

  doc
    .font('regular')
    .fontSize(12)
    .text(
      `La ${identity.name} atteste que ${attestation.attendeeName}, de la structure ${attestation.organisationName}, ` +
        `a participé à l’atelier « ${attestation.workshopTitle} » le ${attestation.date}, de ${attestation.startTime} à ${attestation.endTime} ` +
        `(durée : ${attestation.duration}), à ${attestation.place}.`,
      { width, lineGap: 4 },
    );
  doc.moveDown(1.5);

  // The same facts one by one, as a reader (or a funder) looks them up.
  const labelWidth = 130;
  const details: Array<[string, string]> = [
    ['Participant·e', attestation.attendeeName],
    ['Structure', attestation.organisationName],
    ['Atelier', attestation.workshopTitle],
    ['Date', attestation.date],
    ['Horaire', `${attestation.startTime} – ${attestation.endTime}`],
    ['Durée', attestation.duration],
    ['Lieu', attestation.place],
    ['Référence', attestation.reference],
  ];
  for (const [label, value] of details) {
    const y = doc.y;
    doc
      .font('bold')
      .fontSize(11)
      .text(label, left, y, { width: labelWidth - 10 });
    const labelBottom = doc.y;
    doc
      .font('regular')
      .fontSize(11)
      .text(value, left + labelWidth, y, { width: width - labelWidth });
    doc.y = Math.max(doc.y, labelBottom) + 6;
  }

  doc.moveDown(1.5);
  doc.font('regular').fontSize(11).text('Attestation établie pour servir et valoir ce que de droit.', left, doc.y, { width });
  doc.moveDown(0.6);
  doc.text(`Fait le ${attestation.date}, pour la ${identity.name}.`, { width });

  // The foot of the page: where to check the certificate. Writing inside the bottom margin would open a new page.
  doc.page.margins.bottom = 0;
  doc
    .font('regular')
    .fontSize(8)
    .fillColor(GREY)
    .text(
      `Attestation ${attestation.reference} délivrée par la ${identity.name} (${identity.contactEmail}), qui peut en confirmer l’authenticité sur demande.`,
      left,
      doc.page.height - MARGIN,
      { width, align: 'center' },
    );
  doc.page.margins.bottom = MARGIN;
  doc.end();
  return done;
}
