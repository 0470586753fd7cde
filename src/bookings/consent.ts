/**
 * The personal-data notice a person agrees to when booking. Its version is what a booking records
 * with its consent, so the text shown can be found again; change the version with the text.
 */
export const CONSENT_VERSION = '2026-12-06';

export function consentNotice(options: { retentionMonths: number; contactEmail: string }) {
  return {
    version: CONSENT_VERSION,
    summary: 'J’accepte que la CRESS utilise ces informations pour organiser mon rendez-vous.',
    /** The same consent, in the words of a workshop registration (the booking form of a workshop shows it). */
    workshopSummary: 'J’accepte que la CRESS utilise ces informations pour organiser mon inscription à l’atelier.',
    paragraphs: [
      'Ce que nous gardons : le nom, l’adresse e-mail et le téléphone de la personne, le nom, le SIRET, la forme juridique et le code postal de la structure, les thématiques choisies et le message.',
      'Pourquoi : organiser le rendez-vous ou l’atelier, vous envoyer la confirmation, les rappels et les changements, et établir des chiffres anonymes de fréquentation pour la Métropole, qui finance le programme.',
      `Combien de temps : ${options.retentionMonths} mois après le rendez-vous ; ensuite les coordonnées sont effacées et seuls restent des chiffres anonymes.`,
      `Vos droits : accès, rectification, effacement et opposition, en écrivant à ${options.contactEmail}. Vous pouvez annuler à tout moment avec le lien reçu par e-mail.`,
    ],
  };
}
