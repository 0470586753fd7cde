import type { ProgrammeIdentity } from '../config/app-config';

/**
 * The personal-data notice a person agrees to when booking. Its version is what a booking records
 * with its consent, so the text shown can be found again; change the version with the text (the
 * form's short version and the full notice of /donnees-personnelles alike).
 *
 * Every sentence is a promise the code keeps: the roles (auth/, agenda/, reports/), the nightly
 * anonymisation and the erasure (personal-data/). Change them together.
 */
export const CONSENT_VERSION = '2026-12-06.2';

export interface ConsentOptions {
  identity: ProgrammeIdentity;
  retentionMonths: number;
}

export interface NoticeSection {
  /** The anchor of the section on the page. */
  id: string;
  title: string;
  paragraphs: string[];
  items: string[];
  links: Array<{ href: string; label: string }>;
}

/** Where a person who thinks their rights were not respected can complain (GDPR art. 77). */
export const CNIL_COMPLAINT_URL = 'https://www.cnil.fr/fr/adresser-une-plainte';

export function consentNotice({ identity, retentionMonths }: ConsentOptions) {
  const cress = `la ${identity.name}`;
  const kept = `${retentionMonths} mois`;
  return {
    version: CONSENT_VERSION,
    /** The short version, next to the checkbox of the booking form. */
    summary: `J’accepte que ${cress} utilise ces informations pour organiser mon rendez-vous.`,
    /** The same consent, in the words of a workshop registration (the booking form of a workshop shows it). */
    workshopSummary: `J’accepte que ${cress} utilise ces informations pour organiser mon inscription à l’atelier.`,
    paragraphs: [
      `${capitalise(cress)} utilise ces informations pour organiser votre rendez-vous ou l’atelier (confirmation, rappel, changements, puis une question sur votre avis) et pour établir des chiffres de fréquentation destinés à la métropole qui finance le programme (${identity.metropolisName}) ; celle-ci ne reçoit ni votre nom, ni votre adresse e-mail, ni votre téléphone.`,
      `Vos coordonnées sont effacées ${kept} après le rendez-vous. Vous pouvez y accéder, les faire corriger ou effacer, ou vous opposer à leur usage en écrivant à ${identity.privacyEmail}.`,
    ],
    /** The full notice (GDPR art. 13 and 14), on /donnees-personnelles. */
    introduction: `Quand vous réservez un rendez-vous à la permanence ou vous inscrivez à un atelier, ${cress} enregistre les informations que vous donnez. Cette page dit qui en est responsable, à quoi elles servent, qui les voit, combien de temps elles sont gardées et comment exercer vos droits.`,
    sections: [
      {
        id: 'responsable',
        title: 'Qui est responsable de vos données',
        paragraphs: [
          `Le responsable du traitement est : ${identity.legalName} (${identity.name}), ${identity.address}.`,
          `Pour toute question sur vos données : ${identity.privacyEmail}.`,
        ],
        items: [],
        links: [],
      },
      {
        id: 'donnees',
        title: 'Ce que nous enregistrons',
        paragraphs: [
          'Vos nom et prénom, votre adresse e-mail et, si vous le donnez, votre téléphone ; le nom de votre structure et, si vous les donnez, son SIRET, sa forme juridique, son code postal et sa commune ; les sujets choisis et votre message ; le moment où vous avez accepté cette notice, et sa version.',
          'Si vous annulez, le motif que vous donnez. Le jour venu, le ou la conseiller·ère note votre présence (présent, absent ou excusé), parfois avec une courte note.',
          'Après un rendez-vous à la permanence, le ou la conseiller·ère peut noter son suivi : une courte note réservée à l’équipe (elle ne vous est pas envoyée et la métropole ne la voit jamais), les dispositifs vers lesquels votre structure a été orientée (par exemple le DLA ou France Active) et, s’il y a lieu, une date pour reprendre contact avec vous.',
          'Les champs marqués « obligatoire » sont nécessaires pour réserver : sans eux, nous ne pouvons pas organiser le rendez-vous.',
          'Le jour ouvré qui suit un rendez-vous ou un atelier où vous étiez présent·e, nous vous demandons une fois par e-mail s’il vous a été utile : nous gardons votre réponse (de 1 à 5) et, si vous en écrivez un, votre commentaire. Le lien de cet e-mail permet de ne plus recevoir cette question.',
        ],
        items: [],
        links: [],
      },
      {
        id: 'finalites',
        title: 'Pourquoi, et sur quelle base',
        paragraphs: [],
        items: [
          'Organiser votre rendez-vous ou l’atelier : vous envoyer la confirmation, l’invitation pour votre agenda, un rappel et les éventuels changements ou annulations, et permettre au ou à la conseiller·ère de préparer l’entretien.',
          'Vous demander, une fois, si le rendez-vous ou l’atelier vous a été utile, pour améliorer l’accompagnement ; vous délivrer, après un atelier, votre attestation de présence.',
          `Rendre compte du programme à la métropole qui le finance (${identity.metropolisName}), par des chiffres de fréquentation et de satisfaction.`,
          `Base légale : votre consentement (article 6, paragraphe 1, point a du RGPD), donné en cochant la case du formulaire. Vous pouvez le retirer à tout moment en écrivant à ${identity.privacyEmail} ; ce qui a été fait avant reste valable.`,
          'Aucune décision automatisée n’est prise à partir de ces informations.',
        ],
        links: [],
      },
      {
        id: 'destinataires',
        title: 'Qui les voit',
        paragraphs: [],
        items: [
          `Le ou la conseiller·ère de ${cress} qui vous reçoit à la permanence voit votre réservation : vos coordonnées, votre structure, vos sujets et votre message, et la note de suivi du rendez-vous. Les conseiller·ères voient aussi les inscriptions aux ateliers ; celui ou celle qui doit reprendre contact avec vous voit la note de suivi.`,
          `L’équipe de ${cress} qui administre le programme voit toutes les réservations, et les commentaires laissés en réponse au questionnaire de satisfaction.`,
          `La métropole qui finance le programme (${identity.metropolisName}) reçoit des chiffres (rendez-vous, présences, sujets, formes juridiques, communes, orientations, satisfaction) et la liste des structures accompagnées (nom, SIRET, forme juridique, commune). Elle ne reçoit jamais votre nom, votre adresse e-mail ni votre téléphone, ni vos commentaires.`,
          'Les prestataires techniques qui hébergent le service et acheminent ses e-mails les traitent pour notre compte uniquement.',
        ],
        links: [],
      },
      {
        id: 'duree',
        title: 'Combien de temps',
        paragraphs: [
          `Vos nom, adresse e-mail et téléphone, votre message, le motif d’une annulation, la note de présence et la note de suivi sont effacés ${kept} après la date du rendez-vous ou de l’atelier, même annulé ; les e-mails que nous vous avons envoyés perdent alors leur adresse et leur contenu.`,
          'Votre commentaire au questionnaire de satisfaction est effacé en même temps.',
          'Restent, sans lien avec vous, la structure, les sujets, la présence, les orientations données et la réponse de 1 à 5 au questionnaire de satisfaction, qui servent aux chiffres du programme.',
        ],
        items: [],
        links: [],
      },
      {
        id: 'droits',
        title: 'Vos droits',
        paragraphs: ['Vous pouvez à tout moment :'],
        items: [
          'accéder aux informations que nous gardons sur vous et en recevoir une copie ;',
          'les faire rectifier si elles sont inexactes ;',
          'les faire effacer : vos rendez-vous à venir sont alors annulés ;',
          'vous opposer à leur usage, ou retirer votre consentement.',
        ],
        links: [],
      },
      {
        id: 'exercer',
        title: 'Comment exercer vos droits',
        paragraphs: [
          `Écrivez à ${identity.privacyEmail} depuis l’adresse e-mail utilisée pour réserver, ou par courrier : ${identity.legalName}, ${identity.address}. Nous vous répondons dans un délai d’un mois.`,
          'Pour simplement annuler un rendez-vous, utilisez le lien reçu dans l’e-mail de confirmation.',
          'Si vous estimez, après nous avoir contactés, que vos droits ne sont pas respectés, vous pouvez adresser une réclamation à la CNIL (Commission nationale de l’informatique et des libertés), 3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07, ou en ligne.',
        ],
        items: [],
        links: [
          { href: `mailto:${identity.privacyEmail}`, label: `Écrire à ${identity.privacyEmail}` },
          { href: CNIL_COMPLAINT_URL, label: 'Adresser une réclamation à la CNIL (cnil.fr)' },
        ],
      },
    ] satisfies NoticeSection[],
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
