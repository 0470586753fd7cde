import { frMean, frMonth, frPercent } from './bilan-text';
import type { Bilan, BilanSentences, SatisfactionFigures } from './bilan.types';

export type Cell = string | number;

/** A table of figures, as the page, the PDF and the workbook show it. */
export interface FigureTable {
  caption: string;
  headers: string[];
  rows: Cell[][];
  /** Shown instead of an empty table. */
  empty: string;
}

export type SectionKey = keyof BilanSentences;

export interface BilanSection {
  key: SectionKey;
  /** For anchors and sheet names. */
  slug: string;
  title: string;
  tables: FigureTable[];
}

const KIND_LABELS = { permanence: 'Permanences', atelier: 'Ateliers' } as const;

/** "2027-03-18" → "18/03/2027". */
export function shortDate(date: string): string {
  return date.split('-').reverse().join('/');
}

function rate(value: number | null): string {
  return value === null ? 'non calculable' : frPercent(value);
}

function mean(value: number | null): string {
  return value === null ? '–' : `${frMean(value)} / 5`;
}

function satisfactionCells(row: SatisfactionFigures): Cell[] {
  return [row.responses, row.attended, row.asked, rate(row.responseRate), mean(row.mean)];
}

/**
 * The bilan's sections in order, each with its tables of figures. The comments table is there only
 * when the bilan holds comments (admins).
 */
export function bilanSections(bilan: Bilan): BilanSection[] {
  const o = bilan.organisations;
  const p = bilan.permanences;
  const s = bilan.satisfaction;
  const sum = (key: 'permanenceBookings' | 'permanenceAttended' | 'workshopRegistrations' | 'workshopAttended') =>
    bilan.months.reduce((total, month) => total + month[key], 0);
  const split = bilan.communes;
  const satisfactionTables: FigureTable[] = [
    {
      caption: 'Satisfaction : ensemble de la période',
      headers: ['Indicateur', 'Valeur'],
      rows: [
        ['Réponses', s.responses],
        ['Présences', s.attended],
        ['Questionnaires envoyés', s.asked],
        ['Taux de réponse', rate(s.responseRate)],
        ['Note moyenne', mean(s.mean)],
      ],
      empty: '',
    },
    {
      caption: 'Réponses par note',
      headers: ['Note', 'Réponses'],
      rows: s.distribution.map((row) => [`${row.score} sur 5`, row.responses]),
      empty: '',
    },
    {
      caption: 'Satisfaction par type de rendez-vous',
      headers: ['Type', 'Réponses', 'Présences', 'Questionnaires envoyés', 'Taux de réponse', 'Note moyenne'],
      rows: s.byKind.map((row) => [KIND_LABELS[row.kind], ...satisfactionCells(row)]),
      empty: '',
    },
    {
      caption: 'Satisfaction par atelier',
      headers: ['Atelier', 'Date', 'Réponses', 'Présences', 'Questionnaires envoyés', 'Taux de réponse', 'Note moyenne'],
      rows: s.byWorkshop.map((row) => [row.title, shortDate(row.date), ...satisfactionCells(row)]),
      empty: 'Aucun atelier sur la période.',
    },
  ];
  if (s.comments) {
    satisfactionTables.push({
      caption: 'Commentaires (réservé aux administrateur·rices)',
      headers: ['Date', 'Rendez-vous', 'Note', 'Commentaire'],
      rows: s.comments.map((row) => [shortDate(row.date), row.title, row.score, row.comment]),
      empty: 'Aucun commentaire sur la période.',
    });
  }
  return [
    {
      key: 'organisations',
      slug: 'structures',
      title: 'Structures accompagnées',
      tables: [
        {
          caption: 'Structures accompagnées (au moins une réservation non annulée sur la période)',
          headers: ['Structures', 'Nombre'],
          rows: [
            ['Structures accompagnées', o.total],
            ['dont nouvelles (première réservation sur la période)', o.new],
            ['Dans la Métropole', o.inMetropolis],
            ['Hors Métropole', o.outside],
            ['Commune non renseignée', o.unknown],
          ],
          empty: '',
        },
      ],
    },
    {
      key: 'permanences',
      slug: 'permanences',
      title: 'Permanences',
      tables: [
        {
          caption: 'Permanences de la période',
          headers: ['Permanences', 'Nombre'],
          rows: [
            ['Tenues', p.held],
            ['Annulées', p.cancelled],
            ['À venir', p.scheduled],
          ],
          empty: '',
        },
      ],
    },
    {
      key: 'months',
      slug: 'mois',
      title: 'Réservations et présences par mois',
      tables: [
        {
          caption: 'Réservations (hors annulations) et présences par mois',
          headers: ['Mois', 'Rendez-vous de permanence', 'Présences en permanence', 'Inscriptions aux ateliers', 'Présences en atelier'],
          rows: [
            ...bilan.months.map((month) => [
              frMonth(month.month),
              month.permanenceBookings,
              month.permanenceAttended,
              month.workshopRegistrations,
              month.workshopAttended,
            ]),
            ['Total', sum('permanenceBookings'), sum('permanenceAttended'), sum('workshopRegistrations'), sum('workshopAttended')],
          ],
          empty: '',
        },
      ],
    },
    {
      key: 'topics',
      slug: 'thematiques',
      title: 'Thématiques',
      tables: [
        {
          caption: 'Réservations par thématique (une réservation peut en citer plusieurs)',
          headers: ['Thématique', 'Réservations', 'Structures'],
          rows: bilan.topics.map((row) => [row.label, row.bookings, row.organisations]),
          empty: 'Aucune thématique citée sur la période.',
        },
      ],
    },
    {
      key: 'legalForms',
      slug: 'formes-juridiques',
      title: 'Formes juridiques',
      tables: [
        {
          caption: 'Structures et réservations par forme juridique',
          headers: ['Forme juridique', 'Structures', 'Réservations'],
          rows: bilan.legalForms.map((row) => [row.label, row.organisations, row.bookings]),
          empty: 'Aucune réservation sur la période.',
        },
      ],
    },
    {
      key: 'communes',
      slug: 'communes',
      title: 'Communes',
      tables: [
        {
          caption: `Structures et réservations dans la Métropole (${bilan.metropolis}) et hors Métropole`,
          headers: ['Territoire', 'Structures', 'Réservations'],
          rows: [
            ['Dans la Métropole', split.organisations.inMetropolis, split.bookings.inMetropolis],
            ['Hors Métropole', split.organisations.outside, split.bookings.outside],
            ['Commune non renseignée', split.organisations.unknown, split.bookings.unknown],
          ],
          empty: '',
        },
        {
          caption: 'Structures et réservations par commune',
          headers: ['Commune', 'Territoire', 'Structures', 'Réservations'],
          rows: split.list.map((row) => [row.name, row.inMetropolis ? 'Métropole' : 'Hors Métropole', row.organisations, row.bookings]),
          empty: 'Aucune commune renseignée sur la période.',
        },
      ],
    },
    {
      key: 'orientations',
      slug: 'orientations',
      title: 'Orientations',
      tables: [
        {
          caption: 'Orientations données lors des rendez-vous',
          headers: ['Orientation', 'Rendez-vous', 'Structures'],
          rows: bilan.orientations.byOrientation.map((row) => [row.label, row.bookings, row.organisations]),
          empty: 'Aucune orientation donnée sur la période.',
        },
      ],
    },
    {
      key: 'workshops',
      slug: 'ateliers',
      title: 'Ateliers',
      tables: [
        {
          caption: 'Ateliers de la période',
          headers: ['Atelier', 'Date', 'Places', 'Inscrits', 'Liste d’attente', 'Présents'],
          rows: bilan.workshops.map((row) => [
            row.status === 'cancelled' ? `${row.title} (annulé)` : row.title,
            `${shortDate(row.date)} ${row.time}`,
            row.seats,
            row.registered,
            row.waitlisted,
            row.attended,
          ]),
          empty: 'Aucun atelier sur la période.',
        },
      ],
    },
    { key: 'satisfaction', slug: 'satisfaction', title: 'Satisfaction', tables: satisfactionTables },
  ];
}
