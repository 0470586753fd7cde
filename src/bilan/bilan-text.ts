import type { Bilan, BilanSentences } from './bilan.types';

const NUMBER = new Intl.NumberFormat('fr-FR');
const MEAN = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });
const PERCENT = new Intl.NumberFormat('fr-FR', { style: 'percent', maximumFractionDigits: 0 });
const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

/** 1234 → "1 234" (French grouping). */
export function frNumber(n: number): string {
  return NUMBER.format(n);
}

/** 0.625 → "63 %". */
export function frPercent(rate: number): string {
  return PERCENT.format(rate);
}

/** 4.25 → "4,3". */
export function frMean(mean: number): string {
  return MEAN.format(mean);
}

/** "2027-03" → "mars 2027". */
export function frMonth(month: string): string {
  const [year, number] = month.split('-');
  return `${MONTHS[Number(number) - 1]} ${year}`;
}

/**
 * A count with its noun in French: `zero` for 0 (« aucune structure »), the singular for 1, the
 * plural from 2 (French uses the singular for 0 and 1, and « aucun·e » reads better than « 0 »).
 */
export function counted(n: number, one: string, many: string, zero: string): string {
  if (n === 0) return zero;
  return `${frNumber(n)} ${n === 1 ? one : many}`;
}

/** ["a", "b", "c"] → "a, b et c". */
function list(parts: string[]): string {
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} et ${parts[parts.length - 1]}`;
}

function sentence(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

type Figures = Omit<Bilan, 'sentences'>;

/** One plain French sentence per section, written from its figures (zero, singular and plural). */
export function bilanSentences(bilan: Figures): BilanSentences {
  return {
    organisations: organisations(bilan),
    permanences: permanences(bilan),
    months: months(bilan),
    topics: topics(bilan),
    legalForms: legalForms(bilan),
    communes: communes(bilan),
    orientations: orientations(bilan),
    workshops: workshops(bilan),
    satisfaction: satisfaction(bilan),
  };
}

function organisations({ organisations: o }: Figures): string {
  if (o.total === 0) return 'Aucune structure accompagnée sur la période.';
  const inside = o.inMetropolis === 0 ? 'aucune de la Métropole' : `${frNumber(o.inMetropolis)} de la Métropole`;
  const fresh = counted(o.new, 'nouvelle', 'nouvelles', 'aucune nouvelle');
  return sentence(`${counted(o.total, 'structure accompagnée', 'structures accompagnées', '')}, dont ${inside} ; ${fresh}`);
}

function permanences({ permanences: p }: Figures): string {
  if (p.held + p.cancelled + p.scheduled === 0) return 'Aucune permanence sur la période.';
  const parts = [
    counted(p.held, 'permanence tenue', 'permanences tenues', 'aucune permanence tenue'),
    counted(p.cancelled, 'annulée', 'annulées', 'aucune annulée'),
  ];
  if (p.scheduled > 0) parts.push(`${frNumber(p.scheduled)} à venir`);
  return sentence(list(parts));
}

function months({ months: m }: Figures): string {
  const permanence = m.reduce((sum, month) => sum + month.permanenceBookings, 0);
  const workshop = m.reduce((sum, month) => sum + month.workshopRegistrations, 0);
  const attended = m.reduce((sum, month) => sum + month.permanenceAttended + month.workshopAttended, 0);
  if (permanence + workshop === 0) return 'Aucune réservation sur la période.';
  let busiest = m[0];
  for (const month of m) {
    if (month.permanenceBookings + month.workshopRegistrations > busiest.permanenceBookings + busiest.workshopRegistrations) busiest = month;
  }
  return sentence(
    `${counted(permanence, 'rendez-vous de permanence', 'rendez-vous de permanence', 'aucun rendez-vous de permanence')} et ` +
      `${counted(workshop, 'inscription aux ateliers', 'inscriptions aux ateliers', 'aucune inscription aux ateliers')}, ` +
      `${counted(attended, 'présence', 'présences', 'aucune présence')} ; le mois le plus actif : ${frMonth(busiest.month)}`,
  );
}

function topics({ topics: t }: Figures): string {
  if (t.length === 0) return 'Aucune thématique citée sur la période.';
  const times = counted(t[0].bookings, 'réservation', 'réservations', '');
  if (t.length === 1) return sentence(`1 thématique citée (${times}) : ${t[0].label}`);
  return sentence(`${frNumber(t.length)} thématiques citées ; la plus citée (${times}) : ${t[0].label}`);
}

function legalForms({ legalForms: forms }: Figures): string {
  const known = forms.filter((form) => form.code !== null);
  if (known.length === 0) return 'Aucune forme juridique renseignée sur la période.';
  const first = known.reduce((best, form) => (form.organisations > best.organisations ? form : best), known[0]);
  const times = counted(first.organisations, 'structure', 'structures', '');
  if (known.length === 1) return sentence(`1 forme juridique représentée (${times}) : ${first.label}`);
  return sentence(`${frNumber(known.length)} formes juridiques représentées ; la plus fréquente (${times}) : ${first.label}`);
}

function communes({ communes: c }: Figures): string {
  if (c.list.length === 0) return 'Aucune commune renseignée sur la période.';
  const inside = c.list.filter((commune) => commune.inMetropolis).length;
  const parts = [
    counted(c.bookings.inMetropolis, 'réservation de la Métropole', 'réservations de la Métropole', 'aucune réservation de la Métropole'),
    c.bookings.outside === 0 ? 'aucune hors Métropole' : `${frNumber(c.bookings.outside)} hors Métropole`,
  ];
  if (c.bookings.unknown > 0) parts.push(`${frNumber(c.bookings.unknown)} sans commune renseignée`);
  const within = inside === 0 ? 'aucune dans la Métropole' : `${frNumber(inside)} dans la Métropole`;
  return sentence(`${counted(c.list.length, 'commune représentée', 'communes représentées', '')}, dont ${within} ; ${list(parts)}`);
}

function orientations({ orientations: o }: Figures): string {
  if (o.given === 0) return 'Aucune orientation donnée sur la période.';
  const top = o.byOrientation[0];
  const given = `${counted(o.given, 'orientation donnée', 'orientations données', '')} à ${counted(o.organisations, 'structure', 'structures', '')}`;
  if (o.byOrientation.length === 1) return sentence(`${given} : ${top.label}`);
  return sentence(`${given} ; la plus fréquente (${counted(top.bookings, 'fois', 'fois', '')}) : ${top.label}`);
}

function workshops({ workshops: list }: Figures): string {
  const held = list.filter((workshop) => workshop.status === 'scheduled');
  const cancelled = list.length - held.length;
  if (list.length === 0) return 'Aucun atelier sur la période.';
  const cancelledPart = cancelled === 0 ? '' : ` ; ${counted(cancelled, 'atelier annulé', 'ateliers annulés', '')}`;
  if (held.length === 0) return sentence(`Aucun atelier tenu${cancelledPart}`);
  const sum = (key: 'seats' | 'registered' | 'waitlisted' | 'attended') => held.reduce((total, workshop) => total + workshop[key], 0);
  const figures = [
    counted(sum('seats'), 'place', 'places', 'aucune place'),
    counted(sum('registered'), 'inscrit', 'inscrits', 'aucun inscrit'),
    sum('waitlisted') === 0 ? 'personne en liste d’attente' : `${frNumber(sum('waitlisted'))} en liste d’attente`,
    counted(sum('attended'), 'présent', 'présents', 'aucun présent'),
  ];
  return sentence(`${counted(held.length, 'atelier', 'ateliers', '')} : ${figures.join(', ')}${cancelledPart}`);
}

/** Answers over the questionnaires sent (the rate's denominator), then the mean score. */
function satisfaction({ satisfaction: s }: Figures): string {
  const sent = counted(s.asked, 'questionnaire envoyé', 'questionnaires envoyés', '');
  if (s.responses === 0) {
    return s.asked === 0 ? 'Aucun questionnaire de satisfaction envoyé sur la période.' : sentence(`Aucune réponse sur ${sent}`);
  }
  const rate = s.responseRate === null ? '' : ` sur ${sent} (${frPercent(s.responseRate)})`;
  return sentence(`${counted(s.responses, 'réponse', 'réponses', '')}${rate}, note moyenne ${frMean(s.mean ?? 0)} sur 5`);
}
