import { frenchPdf } from '../common/pdf';
import type { ProgrammeIdentity } from '../config/app-config';

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
/** Space between the body and the foot of the page, which is written in the bottom margin. */
const FOOT_GAP = 20;

/**
 * The « attestation de présence » a workshop attendee marked present downloads: A4, the CRESS'
 * identity, one sentence stating the attendance, the details as label and value, the reference.
 */
export function attestationPdf(attestation: Attestation): Promise<Buffer> {
  const { identity } = attestation;
  const { doc, bytes: done } = frenchPdf({
    margin: MARGIN,
    info: {
      Title: `Attestation de présence – Atelier « ${attestation.workshopTitle} » – ${attestation.date}`,
      Author: identity.legalName,
      Subject: `Attestation de présence ${attestation.reference}`,
      CreationDate: attestation.issuedAt,
      ModDate: attestation.issuedAt,
    },
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

  const sentence =
    `La ${identity.name} atteste que ${attestation.attendeeName}, de la structure ${attestation.organisationName}, ` +
    `a participé à l’atelier « ${attestation.workshopTitle} » le ${attestation.date}, de ${attestation.startTime} à ${attestation.endTime} ` +
    `(durée : ${attestation.duration}), à ${attestation.place}.`;
  // The same facts one by one, as a reader (or a funder) looks them up.
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
  const closing = ['Attestation établie pour servir et valoir ce que de droit.', `Fait le ${attestation.date}, pour la ${identity.name}.`];
  const labelWidth = 130;
  const valueWidth = width - labelWidth;

  /** The body at a text size, measured (`draw` false) or written from `top`; its height either way. */
  const body = (size: number, top: number, draw: boolean): number => {
    const small = size - 1;
    const gap = size * 1.5;
    let y = top;
    doc.font('regular').fontSize(size);
    const sentenceHeight = doc.heightOfString(sentence, { width, lineGap: 4 });
    if (draw) doc.text(sentence, left, y, { width, lineGap: 4 });
    y += sentenceHeight + gap;
    for (const [label, value] of details) {
      doc.font('bold').fontSize(small);
      const labelHeight = doc.heightOfString(label, { width: labelWidth - 10 });
      if (draw) doc.text(label, left, y, { width: labelWidth - 10 });
      doc.font('regular').fontSize(small);
      const valueHeight = doc.heightOfString(value, { width: valueWidth });
      if (draw) doc.text(value, left + labelWidth, y, { width: valueWidth });
      y += Math.max(labelHeight, valueHeight) + small / 2;
    }
    y += gap;
    doc.font('regular').fontSize(small);
    for (const line of closing) {
      const height = doc.heightOfString(line, { width });
      if (draw) doc.text(line, left, y, { width });
      y += height + small / 2;
    }
    return y - top;
  };

  // Long names, titles and places (the forms accept 200 to 300 characters) take a smaller size, so
  // the certificate stays one page above its foot.
  const top = doc.y;
  const room = doc.page.height - MARGIN - FOOT_GAP - top;
  const size = [12, 11, 10, 9, 8].find((candidate) => body(candidate, top, false) <= room) ?? 7;
  body(size, top, true);

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
