import type { Bilan } from './bilan.types';

export interface ChartSeries {
  name: string;
  color: string;
  values: number[];
}

/**
 * A bar chart as data: the page draws it with Vega-Lite (SVG), the PDF with pdfkit, and both print
 * the same figures as a table next to it.
 */
export interface Chart {
  /** Unique in the bilan: the SVG's ids are prefixed with it. */
  id: string;
  title: string;
  /** What the chart shows, in a sentence (the SVG's <desc>). */
  description: string;
  categories: string[];
  series: ChartSeries[];
  /** Bars along the x axis (months, scores) or the y axis (long labels). */
  direction: 'vertical' | 'horizontal';
  /** Series stacked on one bar (parts of a whole) rather than side by side. */
  stacked?: boolean;
}

/** Dark enough against white for graphics (WCAG 1.4.11, ≥ 3:1) and told apart by the legend and the table. */
const COLOURS = ['#005a4e', '#b35c00', '#3b4a9c', '#7a1f5c'];
const INK = '#1b1f24';
/** How many communes the chart shows (the table and the files list them all). */
export const TOP_COMMUNES = 15;
/** Up to this many workshops, one bar group each; more, by month. */
export const TOP_WORKSHOPS = 12;
const SHORT_MONTHS = ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'];

function series(names: string[], values: number[][]): ChartSeries[] {
  return names.map((name, index) => ({ name, color: COLOURS[index % COLOURS.length], values: values[index] }));
}

/** "2027-03" → "mars" (or "mars 2027" when the period spans several years). */
export function shortMonth(month: string, withYear: boolean): string {
  const [year, number] = month.split('-');
  return withYear ? `${SHORT_MONTHS[Number(number) - 1]} ${year}` : SHORT_MONTHS[Number(number) - 1];
}

/** Labels that appear once each (two workshops may share a title). */
function unique(labels: string[]): string[] {
  const seen = new Map<string, number>();
  return labels.map((label) => {
    const times = (seen.get(label) ?? 0) + 1;
    seen.set(label, times);
    return times === 1 ? label : `${label} (${times})`;
  });
}

/** The bilan's charts, one per section, in the page's order. */
export function bilanCharts(bilan: Omit<Bilan, 'sentences'>): Record<keyof Bilan['sentences'], Chart> {
  const o = bilan.organisations;
  const p = bilan.permanences;
  const severalYears = bilan.from.slice(0, 4) !== bilan.to.slice(0, 4);
  const communes = bilan.communes.list.slice(0, TOP_COMMUNES);
  const s = bilan.satisfaction;
  return {
    organisations: {
      id: 'structures',
      title: 'Structures accompagnées selon leur commune',
      description: `Structures accompagnées : ${o.inMetropolis} dans la Métropole, ${o.outside} hors Métropole, ${o.unknown} dont la commune n’est pas renseignée.`,
      categories: ['Dans la Métropole', 'Hors Métropole', 'Commune non renseignée'],
      series: series(['Structures'], [[o.inMetropolis, o.outside, o.unknown]]),
      direction: 'horizontal',
    },
    permanences: {
      id: 'permanences',
      title: 'Permanences de la période',
      description: `Permanences : ${p.held} tenues, ${p.cancelled} annulées, ${p.scheduled} à venir.`,
      categories: ['Tenues', 'Annulées', 'À venir'],
      series: series(['Permanences'], [[p.held, p.cancelled, p.scheduled]]),
      direction: 'horizontal',
    },
    months: {
      id: 'mois',
      title: 'Réservations et présences par mois',
      description: 'Pour chaque mois : rendez-vous de permanence, inscriptions aux ateliers et présences.',
      categories: bilan.months.map((month) => shortMonth(month.month, severalYears)),
      series: series(
        ['Rendez-vous de permanence', 'Inscriptions aux ateliers', 'Présences'],
        [
          bilan.months.map((month) => month.permanenceBookings),
          bilan.months.map((month) => month.workshopRegistrations),
          bilan.months.map((month) => month.permanenceAttended + month.workshopAttended),
        ],
      ),
      direction: 'vertical',
    },
    topics: {
      id: 'thematiques',
      title: 'Réservations par thématique',
      description: 'Nombre de réservations citant chaque thématique (une réservation peut en citer plusieurs).',
      categories: unique(bilan.topics.map((topic) => topic.label)),
      series: series(['Réservations'], [bilan.topics.map((topic) => topic.bookings)]),
      direction: 'horizontal',
    },
    legalForms: {
      id: 'formes',
      title: 'Structures par forme juridique',
      description: 'Nombre de structures accompagnées de chaque forme juridique.',
      categories: unique(bilan.legalForms.map((form) => form.label)),
      series: series(['Structures'], [bilan.legalForms.map((form) => form.organisations)]),
      direction: 'horizontal',
    },
    communes: {
      id: 'communes',
      title: `Structures par commune (les ${TOP_COMMUNES} premières)`,
      description: 'Nombre de structures accompagnées des communes les plus représentées, dans la Métropole ou hors Métropole.',
      categories: unique(communes.map((commune) => commune.name)),
      series: series(
        ['Dans la Métropole', 'Hors Métropole'],
        [
          communes.map((commune) => (commune.inMetropolis ? commune.organisations : 0)),
          communes.map((commune) => (commune.inMetropolis ? 0 : commune.organisations)),
        ],
      ),
      direction: 'horizontal',
      stacked: true,
    },
    orientations: {
      id: 'orientations',
      title: 'Orientations données',
      description: 'Nombre de rendez-vous ayant donné chaque orientation.',
      categories: unique(bilan.orientations.byOrientation.map((orientation) => orientation.label)),
      series: series(['Orientations'], [bilan.orientations.byOrientation.map((orientation) => orientation.bookings)]),
      direction: 'horizontal',
    },
    workshops: workshopsChart(bilan, severalYears),
    satisfaction: {
      id: 'satisfaction',
      title: 'Réponses au questionnaire de satisfaction, par note',
      description: `Nombre de réponses pour chaque note de 1 à 5 : ${s.distribution.map((row) => `${row.responses} pour ${row.score}`).join(', ')}.`,
      categories: s.distribution.map((row) => `${row.score} sur 5`),
      series: series(['Réponses'], [s.distribution.map((row) => row.responses)]),
      direction: 'vertical',
    },
  };
}

/**
 * Each workshop's seats, registrations, waitlist and attendance; past TOP_WORKSHOPS workshops (a
 * year's programme), the same figures month by month, which a chart can still show (the table
 * lists every workshop).
 */
function workshopsChart(bilan: Omit<Bilan, 'sentences'>, severalYears: boolean): Chart {
  const names = ['Places', 'Inscrits', 'Liste d’attente', 'Présents'];
  const keys = ['seats', 'registered', 'waitlisted', 'attended'] as const;
  const held = bilan.workshops.filter((workshop) => workshop.status === 'scheduled');
  if (held.length <= TOP_WORKSHOPS) {
    return {
      id: 'ateliers',
      title: 'Ateliers : places, inscrits, liste d’attente et présents',
      description: 'Pour chaque atelier tenu : places, inscrits, personnes en liste d’attente et présents.',
      categories: unique(held.map((workshop) => `${workshop.title} (${workshop.date.split('-').reverse().join('/')})`)),
      series: series(
        names,
        keys.map((key) => held.map((workshop) => workshop[key])),
      ),
      direction: 'horizontal',
    };
  }
  const months = bilan.months.map((month) => month.month);
  const sums = keys.map((key) =>
    months.map((month) => held.filter((workshop) => workshop.date.startsWith(month)).reduce((sum, workshop) => sum + workshop[key], 0)),
  );
  return {
    id: 'ateliers',
    title: 'Ateliers par mois : places, inscrits, liste d’attente et présents',
    description: `Pour chaque mois, le total des ${held.length} ateliers tenus : places, inscrits, personnes en liste d’attente et présents.`,
    categories: months.map((month) => shortMonth(month, severalYears)),
    series: series(names, sums),
    direction: 'vertical',
  };
}

/** The Vega-Lite specification of a chart: bars with their values written at their end, a generic font. */
export function vegaLiteSpec(chart: Chart): object {
  const values = chart.categories.flatMap((category, index) =>
    chart.series.map((serie) => ({ category, series: serie.name, value: serie.values[index] ?? 0 })),
  );
  const several = chart.series.length > 1;
  const horizontal = chart.direction === 'horizontal';
  const band = {
    field: 'category',
    type: 'nominal',
    sort: chart.categories,
    title: null,
    axis: { labelLimit: horizontal ? 420 : 120, labelAngle: horizontal ? 0 : -40 },
  };
  const measure = { field: 'value', type: 'quantitative', title: null, axis: { tickMinStep: 1, format: 'd' }, ...(chart.stacked ? { stack: 'zero' } : {}) };
  const offset = several && !chart.stacked ? { field: 'series', type: 'nominal', sort: chart.series.map((serie) => serie.name) } : undefined;
  const colour = {
    field: 'series',
    type: 'nominal',
    title: null,
    scale: { domain: chart.series.map((serie) => serie.name), range: chart.series.map((serie) => serie.color) },
    legend: several ? { orient: 'bottom', direction: 'horizontal', columns: 2, labelLimit: 300 } : null,
  };
  // With an offset (series side by side), Vega-Lite's step is one bar's; without, one category's.
  const step = offset ? 13 : horizontal ? 26 : 44;
  const encoding = horizontal
    ? { y: band, x: measure, ...(offset ? { yOffset: offset } : {}), color: colour }
    : { x: band, y: measure, ...(offset ? { xOffset: offset } : {}), color: colour };
  const label = horizontal ? { align: 'left', baseline: 'middle', dx: 3 } : { align: 'center', baseline: 'bottom', dy: -2 };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    data: { values },
    ...(horizontal ? { width: 360, height: { step } } : { width: { step }, height: 220 }),
    background: '#ffffff',
    padding: 8,
    layer: [
      { mark: { type: 'bar' }, encoding },
      {
        // Each value written at its bar's end (stacked bars: their total is in the table).
        mark: { type: 'text', fontSize: 12, fill: INK, ...label },
        transform: chart.stacked ? [{ filter: 'datum.value > 0' }] : [],
        encoding: { ...encoding, color: undefined, text: { field: 'value', type: 'quantitative' } },
      },
    ],
    config: {
      font: 'sans-serif',
      view: { stroke: null },
      axis: { labelColor: INK, titleColor: INK, labelFontSize: 13, domainColor: '#6b7480', tickColor: '#6b7480', gridColor: '#dfe3e8' },
      legend: { labelColor: INK, labelFontSize: 13, symbolType: 'square' },
    },
  };
}

/**
 * Vega's SVG made an accessible image of its own: role="img" named by a <title> and described by a
 * <desc> (the figures are in the table next to it), with its ids prefixed so that several charts
 * can share a page.
 */
export function accessibleSvg(svg: string, chart: Chart): string {
  const prefix = `graphique-${chart.id}`;
  const prefixed = svg
    // Vega's own roles on marks: the image is one whole, named and described below.
    .replace(/\s(?:role|aria-roledescription|aria-label|aria-hidden)="[^"]*"/g, '')
    .replace(/\bid="([^"]+)"/g, `id="${prefix}-$1"`)
    .replace(/url\(#([^)]+)\)/g, `url(#${prefix}-$1)`)
    .replace(/href="#([^"]+)"/g, `href="#${prefix}-$1"`);
  return prefixed.replace(
    /^<svg\b([^>]*)>/,
    (_, attributes: string) =>
      `<svg${attributes} role="img" aria-labelledby="${prefix}-titre ${prefix}-desc" focusable="false">` +
      `<title id="${prefix}-titre">${escapeXml(chart.title)}</title><desc id="${prefix}-desc">${escapeXml(chart.description)}</desc>`,
  );
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
