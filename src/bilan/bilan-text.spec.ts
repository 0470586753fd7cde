import { accessibleSvg, bilanCharts, vegaLiteSpec } from './bilan-charts';
import { bilanSentences, counted } from './bilan-text';
import type { Bilan } from './bilan.types';

type Figures = Omit<Bilan, 'sentences'>;

const NOTHING: Figures = {
  from: '2027-01-01',
  to: '2027-12-31',
  timeZone: 'Europe/Paris',
  metropolis: 'Saint-Étienne Métropole',
  organisations: { total: 0, new: 0, inMetropolis: 0, outside: 0, unknown: 0 },
  permanences: { held: 0, cancelled: 0, scheduled: 0 },
  months: [{ month: '2027-01', permanenceBookings: 0, permanenceAttended: 0, workshopRegistrations: 0, workshopAttended: 0 }],
  topics: [],
  legalForms: [],
  communes: { list: [], bookings: { inMetropolis: 0, outside: 0, unknown: 0 }, organisations: { inMetropolis: 0, outside: 0, unknown: 0 } },
  orientations: { given: 0, bookings: 0, organisations: 0, byOrientation: [] },
  workshops: [],
  satisfaction: { responses: 0, attended: 0, asked: 0, responseRate: null, mean: null, distribution: [], byKind: [], byWorkshop: [] },
};

const workshop = (status: 'scheduled' | 'cancelled', seats: number, registered: number, waitlisted: number, attended: number) => ({
  id: `w-${seats}-${status}`,
  title: 'Atelier',
  date: '2027-02-10',
  time: '14:00',
  status,
  seats,
  registered,
  waitlisted,
  attended,
});

describe('the bilan’s sentences', () => {
  it('counts in French: « aucune » for nothing, the singular for one, the plural from two, grouped thousands', () => {
    expect(counted(0, 'structure', 'structures', 'aucune structure')).toBe('aucune structure');
    expect(counted(1, 'structure', 'structures', 'aucune structure')).toBe('1 structure');
    expect(counted(2, 'structure', 'structures', 'aucune structure')).toBe('2 structures');
    expect(counted(12345, 'structure', 'structures', 'aucune structure')).toBe('12\u202f345 structures');
  });

  it('says there was nothing, section by section, rather than « 0 »', () => {
    const sentences = bilanSentences(NOTHING);
    const all = (Object.keys(sentences) as Array<keyof typeof sentences>).map((key) => sentences[key]);
    expect(all.every((sentence) => /^Aucune? /.test(sentence))).toBe(true);
    expect(all.some((sentence) => /\b0\b/.test(sentence))).toBe(false);
  });

  it('writes one organisation, one new one, one permanence, one workshop in the singular', () => {
    const sentences = bilanSentences({
      ...NOTHING,
      organisations: { total: 1, new: 1, inMetropolis: 1, outside: 0, unknown: 0 },
      permanences: { held: 1, cancelled: 1, scheduled: 1 },
      workshops: [workshop('scheduled', 1, 1, 0, 1)],
      orientations: { given: 1, bookings: 1, organisations: 1, byOrientation: [{ code: 'dla', label: 'DLA', bookings: 1, organisations: 1 }] },
      satisfaction: { ...NOTHING.satisfaction, responses: 1, attended: 2, asked: 1, responseRate: 1, mean: 5 },
    });
    expect(sentences.organisations).toBe('1 structure accompagnée, dont 1 de la Métropole ; 1 nouvelle.');
    expect(sentences.permanences).toBe('1 permanence tenue, 1 annulée et 1 à venir.');
    expect(sentences.workshops).toBe('1 atelier : 1 place, 1 inscrit, personne en liste d’attente, 1 présent.');
    expect(sentences.orientations).toBe('1 orientation donnée à 1 structure : DLA.');
    expect(sentences.satisfaction).toBe('1 réponse sur 1 questionnaire envoyé (100\u00a0%), note moyenne 5 sur 5.');
  });

  it('writes large figures in the plural with French grouping and decimals', () => {
    const sentences = bilanSentences({
      ...NOTHING,
      organisations: { total: 1043, new: 0, inMetropolis: 0, outside: 1043, unknown: 0 },
      workshops: [
        workshop('scheduled', 20, 20, 3, 0),
        workshop('scheduled', 25, 12, 0, 10),
        workshop('cancelled', 10, 0, 0, 0),
        workshop('cancelled', 10, 0, 0, 0),
      ],
      satisfaction: { ...NOTHING.satisfaction, responses: 2500, attended: 4200, asked: 4000, responseRate: 0.625, mean: 4.25 },
    });
    expect(sentences.organisations).toBe('1\u202f043 structures accompagnées, dont aucune de la Métropole ; aucune nouvelle.');
    expect(sentences.workshops).toBe('2 ateliers : 45 places, 32 inscrits, 3 en liste d’attente, 10 présents ; 2 ateliers annulés.');
    expect(sentences.satisfaction).toBe('2\u202f500 réponses sur 4\u202f000 questionnaires envoyés (63\u00a0%), note moyenne 4,3 sur 5.');
  });

  it('counts the satisfaction answers over the questionnaires sent, not over the attendees', () => {
    const said = (figures: Partial<Figures['satisfaction']>) =>
      bilanSentences({ ...NOTHING, satisfaction: { ...NOTHING.satisfaction, ...figures } }).satisfaction;
    expect(said({ responses: 2, attended: 5, asked: 3, responseRate: 0.6667, mean: 4 })).toBe(
      '2 réponses sur 3 questionnaires envoyés (67\u00a0%), note moyenne 4 sur 5.',
    );
    expect(said({ responses: 1, attended: 4, asked: 2, responseRate: 0.5, mean: 3.5 })).toBe(
      '1 réponse sur 2 questionnaires envoyés (50\u00a0%), note moyenne 3,5 sur 5.',
    );
    // Sent but not answered (yet): no rate of « 0 % », no mean.
    expect(said({ responses: 0, attended: 3, asked: 1, responseRate: 0 })).toBe('Aucune réponse sur 1 questionnaire envoyé.');
    expect(said({ responses: 0, attended: 3, asked: 3, responseRate: 0 })).toBe('Aucune réponse sur 3 questionnaires envoyés.');
    // Attendees, but nobody asked (attendance recorded too late, opted out).
    expect(said({ responses: 0, attended: 3, asked: 0, responseRate: null })).toBe('Aucun questionnaire de satisfaction envoyé sur la période.');
  });
});

describe('the bilan’s charts', () => {
  it('makes a Vega-Lite bar chart per section with a generic font and the series in order', () => {
    const charts = bilanCharts({ ...NOTHING, organisations: { total: 3, new: 1, inMetropolis: 2, outside: 1, unknown: 0 } });
    expect(Object.keys(charts)).toEqual([
      'organisations',
      'permanences',
      'months',
      'topics',
      'legalForms',
      'communes',
      'orientations',
      'workshops',
      'satisfaction',
    ]);
    const spec = vegaLiteSpec(charts.organisations) as { config: { font: string }; data: { values: unknown[] } };
    expect(spec.config.font).toBe('sans-serif');
    expect(spec.data.values).toEqual([
      { category: 'Dans la Métropole', series: 'Structures', value: 2 },
      { category: 'Hors Métropole', series: 'Structures', value: 1 },
      { category: 'Commune non renseignée', series: 'Structures', value: 0 },
    ]);
  });

  it('names and describes the SVG as one image, with ids of its own', () => {
    const chart = bilanCharts(NOTHING).organisations;
    const svg = accessibleSvg(
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" viewBox="0 0 10 10"><g role="graphics-symbol" aria-roledescription="bar"><clipPath id="clip1"/><g clip-path="url(#clip1)"/></g></svg>',
      chart,
    );
    expect(svg).toBe(
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" viewBox="0 0 10 10" role="img" aria-labelledby="graphique-structures-titre graphique-structures-desc" focusable="false">' +
        '<title id="graphique-structures-titre">Structures accompagnées selon leur commune</title>' +
        '<desc id="graphique-structures-desc">Structures accompagnées : 0 dans la Métropole, 0 hors Métropole, 0 dont la commune n’est pas renseignée.</desc>' +
        '<g><clipPath id="graphique-structures-clip1"/><g clip-path="url(#graphique-structures-clip1)"/></g></svg>',
    );
  });
});
