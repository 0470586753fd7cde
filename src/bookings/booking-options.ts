/** The programme's own list of topics for a permanence (DESIGN.md §1), with the users' wording. */
export const TOPICS = {
  collective_needs: 'Définition des besoins collectifs des structures de l’ESS',
  legal_status: 'Évolution des statuts',
  responsible_purchasing: 'Achats responsables',
  essaimage: 'Essaimage sur le territoire régional',
  recognition: 'Reconnaissance et valorisation des structures de l’ESS',
  ambition_ess: 'La plateforme « Ambition ESS »',
  regional_support: 'Orientation vers les dispositifs régionaux d’accompagnement',
  other: 'Autre',
} as const;
export type Topic = keyof typeof TOPICS;
export const TOPIC_CODES = Object.keys(TOPICS) as Topic[];

/** Legal forms of ESS organisations (loi n° 2014-856 du 31 juillet 2014, art. 1). */
export const LEGAL_FORMS = {
  association: 'Association',
  cooperative: 'Coopérative (SCOP, SCIC, CAE…)',
  mutuelle: 'Mutuelle',
  fondation: 'Fondation',
  societe_commerciale_ess: 'Société commerciale de l’ESS',
  other: 'Autre',
} as const;
export type LegalForm = keyof typeof LEGAL_FORMS;
export const LEGAL_FORM_CODES = Object.keys(LEGAL_FORMS) as LegalForm[];

export function bookingOptions() {
  return {
    topics: TOPIC_CODES.map((code) => ({ code, label: TOPICS[code] })),
    legalForms: LEGAL_FORM_CODES.map((code) => ({ code, label: LEGAL_FORMS[code] })),
  };
}

/** A topic's wording; a code no longer in the list shows as itself. */
export function topicLabel(code: string): string {
  return TOPICS[code as Topic] ?? code;
}

/** A legal form's wording, null when none was given; a code no longer in the list shows as itself. */
export function legalFormLabel(code: string | null | undefined): string | null {
  if (!code) return null;
  return LEGAL_FORMS[code as LegalForm] ?? code;
}
