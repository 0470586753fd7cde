import Handlebars from 'handlebars';
import fs from 'node:fs';
import { renderMail, type MailContext, type MailKind, type RenderedMail } from './mail-templates';

const HOSTILE = '<script>alert(1)</script>';
const HOSTILE_IN_HTML = '&lt;script&gt;alert(1)&lt;/script&gt;';
const MANAGE_URL = 'https://rdv.cress-aura.example/reservations/7f3c2a/gerer?token=Zx9_k2-AbC';
const INVITE = 'fichier .ics';

const escape = (value: string) => Handlebars.Utils.escapeExpression(value);
/** The templates use non-breaking spaces in French punctuation; expectations are written with plain ones. */
const plain = (value: string) => value.replace(/[\u00a0\u202f]/g, ' ');
/** What a reader sees of the HTML, entities still escaped: tags removed, white space collapsed. */
const visible = (html: string) => plain(html.replace(/<[^>]*>/g, '')).replace(/\s+/g, ' ');

/** Not the defaults of the configuration: what the mails say of the programme must come from here. */
const IDENTITY: MailContext['identity'] = {
  name: 'CRESS Bretagne',
  legalName: 'Chambre régionale de l’économie sociale et solidaire de Bretagne',
  address: '8 rue du Breil, 35000 Rennes',
  contactEmail: 'contact@cress-bretagne.example',
  privacyEmail: 'rgpd@cress-bretagne.example',
  metropolisName: 'Rennes Métropole',
};
const PUBLIC_URL = 'https://rdv.cress-bretagne.example';

const permanence: MailContext['event'] = {
  type: 'permanence',
  title: 'Permanence de la CRESS Bretagne',
  date: 'jeudi 31 décembre 2026',
  startTime: '09:00',
  endTime: '10:00',
  location: 'Maison des associations, 6 cours des Alliés, 35000 Rennes',
  advisorName: 'Claire Fontaine',
};

/** The next permanence as the series plans it: its own day, hours and place. */
const nextPermanence: NonNullable<MailContext['nextPermanence']> = {
  date: 'mardi 12 janvier 2027',
  startTime: '14:00',
  endTime: '17:30',
  location: 'Pôle ESS, 15 rue Papu, 35000 Rennes',
};
const NEXT_PERMANENCE =
  'La prochaine permanence a lieu le mardi 12 janvier 2027, de 14:00 à 17:30 (Pôle ESS, 15 rue Papu, 35000 Rennes). Pour y prendre rendez-vous : https://rdv.cress-bretagne.example';

const workshop: MailContext['event'] = {
  type: 'workshop',
  title: 'Entreprises à mission et sociétés commerciales de l’ESS',
  date: 'mardi 13 octobre 2026',
  startTime: '09:00',
  endTime: '12:30',
  location: 'Salle Guy Ropartz, 14 rue Guy Ropartz, 35700 Rennes',
  advisorName: null,
};

function mail(kind: MailKind, overrides: Partial<MailContext> = {}): MailContext {
  const advisor = overrides.audience === 'advisor' || kind.startsWith('advisor_');
  return {
    kind,
    audience: advisor ? 'advisor' : 'attendee',
    recipientName: advisor ? 'Claire Fontaine' : HOSTILE,
    identity: IDENTITY,
    publicUrl: PUBLIC_URL,
    event: permanence,
    previous: null,
    attendee: { name: HOSTILE, email: 'direction@ressourcerie-gier.fr', phone: '06 12 34 56 78' },
    organisation: { name: 'Ressourcerie du Gier', legalForm: 'Association loi 1901' },
    topics: ['Évolution des statuts', 'Achats responsables'],
    message: 'Nous envisageons de passer en SCIC\net voulons savoir par où commencer.',
    waitlistPosition: null,
    onWaitlist: false,
    nextPermanence: null,
    reason: null,
    manageUrl: advisor ? null : MANAGE_URL,
    hasInvite: true,
    ...overrides,
  };
}

/** The satisfaction question's links, as the composer builds them (src/satisfaction/satisfaction-links.ts). */
const SATISFACTION: NonNullable<MailContext['satisfaction']> = {
  answers: ['Pas du tout utile', 'Peu utile', 'Moyennement utile', 'Utile', 'Très utile'].map((label, index) => ({
    score: index + 1,
    label,
    url: `${PUBLIC_URL}/avis/7f3c2a?note=${index + 1}&jeton=Tk${index + 1}_x-Y`,
  })),
  optOutUrl: `${PUBLIC_URL}/avis/7f3c2a/ne-plus-recevoir?jeton=Op_t-Out`,
  attestationUrl: null,
  openUntil: 'samedi 30 janvier 2027',
};

interface Case {
  context: MailContext;
  subject: string;
  /** Values and sentences both bodies must show (written with plain spaces, unescaped). */
  facts: string[];
  manageLabel?: string;
}

/** What only the other kind of event says: a mail about one must never read as the other. */
const PERMANENCE_ONLY = ['votre rendez-vous', 'ce rendez-vous', 'la permanence', 'créneau'];
const WORKSHOP_ONLY = ['atelier', 'inscription', 'liste d’attente'];

const PERMANENCE_MANAGE = 'Gérer votre rendez-vous : annuler, changer de créneau';
const WORKSHOP_MANAGE = 'Gérer votre inscription';
const moved = { date: 'jeudi 26 novembre 2026', startTime: '11:00', endTime: '12:00' };

const BY_KIND: Record<MailKind, Case> = {
  booking_confirmed: {
    context: mail('booking_confirmed'),
    subject: 'Votre rendez-vous du jeudi 31 décembre 2026 à 09:00 est confirmé',
    facts: [
      'est confirmé',
      'jeudi 31 décembre 2026',
      'de 09:00 à 10:00',
      permanence.location,
      'Claire Fontaine',
      'Ressourcerie du Gier (Association loi 1901)',
      'Évolution des statuts',
      'Achats responsables',
      'Nous envisageons de passer en SCIC',
    ],
    manageLabel: PERMANENCE_MANAGE,
  },
  booking_cancelled: {
    context: mail('booking_cancelled', { reason: 'Empêchement de dernière minute', nextPermanence }),
    subject: 'Annulation : votre rendez-vous du jeudi 31 décembre 2026 à 09:00',
    facts: [
      'Votre rendez-vous à la permanence de la CRESS Bretagne du jeudi 31 décembre 2026, de 09:00 à 10:00, a été annulé.',
      'Motif : Empêchement de dernière minute',
      `Vous pourrez reprendre rendez-vous quand vous le souhaitez. ${NEXT_PERMANENCE}`,
    ],
  },
  booking_rescheduled: {
    context: mail('booking_rescheduled', { previous: moved }),
    subject: 'Rendez-vous déplacé au jeudi 31 décembre 2026 à 09:00',
    facts: [
      'a bien été déplacé au jeudi 31 décembre 2026, de 09:00 à 10:00',
      'Avant : jeudi 26 novembre 2026, de 11:00 à 12:00',
      'Désormais : jeudi 31 décembre 2026, de 09:00 à 10:00',
    ],
    manageLabel: PERMANENCE_MANAGE,
  },
  session_cancelled: {
    context: mail('session_cancelled', { reason: 'Grève des transports en commun', nextPermanence }),
    subject: 'Annulation : permanence du jeudi 31 décembre 2026',
    facts: [
      'La CRESS Bretagne a dû annuler la permanence du jeudi 31 décembre 2026',
      'de 09:00 à 10:00',
      'Motif : Grève des transports en commun',
      NEXT_PERMANENCE,
    ],
  },
  session_moved: {
    context: mail('session_moved', { previous: moved, reason: 'Salle de réunion indisponible' }),
    subject: 'Permanence déplacée du jeudi 26 novembre 2026 au jeudi 31 décembre 2026',
    facts: [
      'La CRESS Bretagne a déplacé la permanence du jeudi 26 novembre 2026 au jeudi 31 décembre 2026',
      'Avant : jeudi 26 novembre 2026, de 11:00 à 12:00',
      'Désormais : jeudi 31 décembre 2026, de 09:00 à 10:00',
      'Motif : Salle de réunion indisponible',
    ],
    manageLabel: PERMANENCE_MANAGE,
  },
  session_changed: {
    context: mail('session_changed', { event: { ...permanence, location: 'Maison de l’ESS, 10 rue de la Paix, 35000 Rennes' } }),
    subject: 'Changement de lieu : permanence du jeudi 31 décembre 2026',
    facts: ['Le lieu de la permanence du jeudi 31 décembre 2026 a changé', 'de 09:00 à 10:00', 'Maison de l’ESS, 10 rue de la Paix, 35000 Rennes'],
    manageLabel: PERMANENCE_MANAGE,
  },
  workshop_confirmed: {
    context: mail('workshop_confirmed', { event: workshop, topics: [] }),
    subject: 'Inscription confirmée : atelier « Entreprises à mission et sociétés commerciales de l’ESS » du mardi 13 octobre 2026 à 09:00',
    facts: ['est confirmée', workshop.title, 'mardi 13 octobre 2026', 'de 09:00 à 12:30', workshop.location, 'Ressourcerie du Gier'],
    manageLabel: WORKSHOP_MANAGE,
  },
  workshop_waitlisted: {
    context: mail('workshop_waitlisted', { event: workshop, waitlistPosition: 3, hasInvite: false }),
    subject: 'Vous êtes sur la liste d’attente (position 3) — Entreprises à mission et sociétés commerciales de l’ESS',
    facts: ['est complet', 'liste d’attente, en position 3', workshop.title, 'mardi 13 octobre 2026', 'de 09:00 à 12:30'],
    manageLabel: 'Gérer votre inscription : quitter la liste d’attente',
  },
  workshop_promoted: {
    context: mail('workshop_promoted', { event: workshop }),
    subject:
      'Une place s’est libérée : votre inscription à l’atelier « Entreprises à mission et sociétés commerciales de l’ESS » du mardi 13 octobre 2026 est confirmée',
    facts: ['la place libérée vous a été attribuée', workshop.title, 'mardi 13 octobre 2026', 'de 09:00 à 12:30'],
    manageLabel: WORKSHOP_MANAGE,
  },
  workshop_cancelled: {
    context: mail('workshop_cancelled', { event: workshop, reason: 'Intervenante malade' }),
    subject: 'Annulation : atelier « Entreprises à mission et sociétés commerciales de l’ESS » du mardi 13 octobre 2026',
    facts: [
      'La CRESS Bretagne a dû annuler l’atelier',
      workshop.title,
      'mardi 13 octobre 2026',
      'de 09:00 à 12:30',
      'Votre inscription est donc annulée.',
      'Motif : Intervenante malade',
      `restent ouverts à l’inscription : ${PUBLIC_URL}`,
    ],
  },
  workshop_changed: {
    context: mail('workshop_changed', {
      event: { ...workshop, date: 'mardi 20 octobre 2026', startTime: '14:00', endTime: '17:30' },
      previous: { date: 'mardi 13 octobre 2026', startTime: '09:00', endTime: '12:30' },
    }),
    subject: 'Modification de l’atelier « Entreprises à mission et sociétés commerciales de l’ESS » : désormais le mardi 20 octobre 2026 à 14:00',
    facts: ['a été modifié', 'Avant : mardi 13 octobre 2026, de 09:00 à 12:30', 'Désormais : mardi 20 octobre 2026, de 14:00 à 17:30', workshop.location],
    manageLabel: WORKSHOP_MANAGE,
  },
  reminder: {
    context: mail('reminder'),
    subject: 'Rappel : votre rendez-vous du jeudi 31 décembre 2026 à 09:00',
    facts: ['Nous vous rappelons votre rendez-vous', 'jeudi 31 décembre 2026', 'de 09:00 à 10:00', permanence.location, 'Claire Fontaine'],
    manageLabel: PERMANENCE_MANAGE,
  },
  advisor_slot_booked: {
    context: mail('advisor_slot_booked'),
    subject: 'Nouveau rendez-vous le jeudi 31 décembre 2026 à 09:00 : Ressourcerie du Gier',
    facts: [
      'vient d’être réservé',
      'jeudi 31 décembre 2026',
      'de 09:00 à 10:00',
      'direction@ressourcerie-gier.fr',
      '06 12 34 56 78',
      'Ressourcerie du Gier (Association loi 1901)',
      'Évolution des statuts',
      'Achats responsables',
      'Nous envisageons de passer en SCIC',
    ],
  },
  advisor_slot_cancelled: {
    context: mail('advisor_slot_cancelled', { reason: 'Annulé par la structure' }),
    subject: 'Rendez-vous annulé le jeudi 31 décembre 2026 à 09:00 : Ressourcerie du Gier',
    facts: [
      'a été annulé',
      'jeudi 31 décembre 2026',
      'de 09:00 à 10:00',
      'Ressourcerie du Gier',
      'direction@ressourcerie-gier.fr',
      'Motif : Annulé par la structure',
    ],
  },
  satisfaction: {
    context: mail('satisfaction', { manageUrl: null, hasInvite: false, satisfaction: SATISFACTION }),
    subject: 'Votre avis sur votre venue à la permanence du jeudi 31 décembre 2026',
    facts: [
      'Vous êtes venu·e à la permanence de la CRESS Bretagne le jeudi 31 décembre 2026, avec Claire Fontaine.',
      'Ce rendez-vous vous a-t-il été utile ?',
      'Pas du tout utile (1 sur 5)',
      'Très utile (5 sur 5)',
      'changer votre réponse jusqu’au samedi 30 janvier 2027',
      'plus recevoir de questionnaire de satisfaction',
    ],
  },
};

/** Same kinds sent to the other audience or for the other event type. */
const VARIANTS: Array<[string, Case]> = [
  [
    'session_moved to the advisor',
    {
      context: mail('session_moved', { audience: 'advisor', recipientName: 'Claire Fontaine', manageUrl: null, previous: moved }),
      subject: 'Permanence déplacée du jeudi 26 novembre 2026 au jeudi 31 décembre 2026',
      facts: [
        'la permanence que vous tenez le jeudi 26 novembre 2026 au jeudi 31 décembre 2026',
        'Ressourcerie du Gier',
        'direction@ressourcerie-gier.fr',
        'de 09:00 à 10:00',
      ],
    },
  ],
  [
    'session_changed to the advisor',
    {
      context: mail('session_changed', { audience: 'advisor', recipientName: 'Claire Fontaine', manageUrl: null }),
      subject: 'Changement de lieu : permanence du jeudi 31 décembre 2026',
      facts: ['Le lieu de la permanence que vous tenez le jeudi 31 décembre 2026 a changé', permanence.location, 'Ressourcerie du Gier'],
    },
  ],
  [
    'reminder of a workshop',
    {
      context: mail('reminder', { event: workshop }),
      subject: 'Rappel : atelier « Entreprises à mission et sociétés commerciales de l’ESS » le mardi 13 octobre 2026 à 09:00',
      facts: ['Nous vous rappelons votre inscription à l’atelier', workshop.title, 'mardi 13 octobre 2026', 'de 09:00 à 12:30'],
      manageLabel: WORKSHOP_MANAGE,
    },
  ],
];

/** Kinds sent about either kind of event, for the one BY_KIND does not show, and their other outcomes. */
const BOTH_EVENTS: Array<[string, Case]> = [
  [
    'booking_cancelled of a workshop seat',
    {
      context: mail('booking_cancelled', { event: workshop, topics: [] }),
      subject: 'Annulation : votre inscription à l’atelier « Entreprises à mission et sociétés commerciales de l’ESS » du mardi 13 octobre 2026',
      facts: [
        'Votre inscription à l’atelier « Entreprises à mission et sociétés commerciales de l’ESS » du mardi 13 octobre 2026, de 09:00 à 12:30, a été annulée.',
        workshop.location,
        `Vous pouvez vous inscrire à un autre atelier de la CRESS Bretagne : ${PUBLIC_URL}`,
        'pour retirer cet atelier de votre agenda',
      ],
      manageLabel: 'Consulter votre inscription',
    },
  ],
  [
    'booking_cancelled of a place on a workshop’s waitlist',
    {
      context: mail('booking_cancelled', { event: workshop, topics: [], onWaitlist: true, hasInvite: false }),
      subject: 'Liste d’attente quittée : atelier « Entreprises à mission et sociétés commerciales de l’ESS » du mardi 13 octobre 2026',
      facts: [
        'Vous avez quitté la liste d’attente de l’atelier « Entreprises à mission et sociétés commerciales de l’ESS » du mardi 13 octobre 2026',
        'votre demande d’inscription est annulée',
      ],
      manageLabel: 'Consulter votre inscription',
    },
  ],
  [
    'workshop_cancelled to someone on the waitlist',
    {
      context: mail('workshop_cancelled', { event: workshop, onWaitlist: true, hasInvite: false }),
      subject: 'Annulation : atelier « Entreprises à mission et sociétés commerciales de l’ESS » du mardi 13 octobre 2026',
      facts: ['La CRESS Bretagne a dû annuler l’atelier', 'Votre demande sur la liste d’attente est donc annulée.'],
    },
  ],
  [
    'session_cancelled when no later permanence is planned',
    {
      context: mail('session_cancelled', { nextPermanence: null }),
      subject: 'Annulation : permanence du jeudi 31 décembre 2026',
      facts: ['La CRESS Bretagne a dû annuler la permanence du jeudi 31 décembre 2026', `Pour prendre rendez-vous à une prochaine permanence : ${PUBLIC_URL}`],
    },
  ],
];

const BOTH_SURVEYS: Array<[string, Case]> = [
  [
    'satisfaction after a workshop, with the certificate of attendance',
    {
      context: mail('satisfaction', {
        event: workshop,
        topics: [],
        manageUrl: null,
        hasInvite: false,
        satisfaction: { ...SATISFACTION, attestationUrl: `${PUBLIC_URL}/reservations/7f3c2a/attestation.pdf?token=Zx9_k2-AbC` },
      }),
      subject: 'Votre avis sur l’atelier « Entreprises à mission et sociétés commerciales de l’ESS » du mardi 13 octobre 2026',
      facts: [
        'Vous avez participé à l’atelier « Entreprises à mission et sociétés commerciales de l’ESS » le mardi 13 octobre 2026.',
        'Cet atelier vous a-t-il été utile ?',
        'Votre attestation de présence (PDF)',
      ],
    },
  ],
];

const CASES: Array<[string, Case]> = [...Object.entries(BY_KIND), ...VARIANTS, ...BOTH_EVENTS, ...BOTH_SURVEYS];
const KINDS = Object.keys(BY_KIND) as MailKind[];

function between(text: string, start: string, end: string): string {
  const from = text.indexOf(start);
  const to = text.indexOf(end, from);
  return from >= 0 && to > from ? text.slice(from + start.length, to) : '';
}

describe(renderMail.name, () => {
  it.each([
    ['HTML', (rendered: RenderedMail) => rendered.html, (url: string) => `href="${escape(url)}"`],
    ['text', (rendered: RenderedMail) => rendered.text, (url: string) => `\n${url}\n`],
  ] as const)('satisfaction: gives each of the five answers its own labelled link, the opt-out and the certificate in %s', (_format, part, link) => {
    const [, workshopCase] = BOTH_SURVEYS[0];
    const permanenceBody = part(renderMail(BY_KIND.satisfaction.context));
    const workshopBody = part(renderMail(workshopCase.context));

    for (const answer of SATISFACTION.answers) expect(permanenceBody).toContain(link(answer.url));
    expect(permanenceBody).toContain(link(SATISFACTION.optOutUrl));
    expect(permanenceBody).not.toContain('attestation');
    expect(workshopBody).toContain(link(workshopCase.context.satisfaction!.attestationUrl!));
  });

  it.each(CASES)('%s: states the subject and the key facts in the HTML and the text', (_name, { context, subject, facts }) => {
    const rendered = renderMail(context);

    expect(plain(rendered.subject)).toBe(subject);
    for (const fact of facts) {
      expect(plain(rendered.text)).toContain(fact);
      expect(visible(rendered.html)).toContain(escape(fact).replace(/\s+/g, ' '));
    }
  });

  it.each(CASES)('%s: says nothing that belongs to the other kind of event', (_name, { context }) => {
    const { subject, html, text } = renderMail(context);
    const others = context.event.type === 'workshop' ? PERMANENCE_ONLY : WORKSHOP_ONLY;

    for (const wording of others) {
      for (const value of [subject, text, visible(html)]) expect(plain(value).toLowerCase()).not.toContain(escape(wording).toLowerCase());
    }
  });

  it.each(CASES)('%s: names the CRESS and the metropolis from configuration, and no fixed day, hours or place', (_name, { context }) => {
    const { subject, html, text } = renderMail(context);

    for (const value of [subject, text, visible(html)]) {
      const read = plain(value);
      for (const literal of ['Auvergne', 'Saint-Étienne', 'Saint-Etienne', 'dernier jeudi', '9 h', '13 h', 'mensuelle']) expect(read).not.toContain(literal);
      expect(read.replaceAll(IDENTITY.name, '')).not.toContain('CRESS');
    }
    expect(plain(text)).toContain(`L’équipe de la ${IDENTITY.name}`);
    if (context.audience === 'attendee') {
      expect(plain(text)).toContain(`à rendre compte du programme à ${IDENTITY.metropolisName}`);
      expect(plain(text)).toContain(`écrivez à ${IDENTITY.privacyEmail}`);
    }
  });

  it.each(CASES)('%s: escapes a hostile name in HTML and keeps it literally in text', (_name, { context }) => {
    const { html, text } = renderMail(context);

    expect(html).toContain(HOSTILE_IN_HTML);
    expect(html).not.toContain('<script');
    expect(text).toContain(HOSTILE);
    expect(text).not.toContain('&lt;');
  });

  it.each(CASES)('%s: wraps the body in the shared layout', (_name, { context, facts }) => {
    const { html, text } = renderMail(context);
    const greeting = `Bonjour ${context.recipientName},`;
    const body = facts[0];

    expect(text.startsWith('CRESS Bretagne — Rendez-vous ESS\n================================\n')).toBe(true);
    expect(plain(between(text, greeting, 'L’équipe de la CRESS Bretagne'))).toContain(body);
    expect(text).toMatch(/\n-- \nVous recevez ce message parce que vous /);
    expect(html).toMatch(/^<!DOCTYPE html>\s*<html lang="fr">/);
    expect(html).toContain('CRESS Bretagne — Rendez-vous ESS');
    expect(plain(between(html, `Bonjour ${escape(context.recipientName)},`, 'L’équipe de la CRESS Bretagne'))).toContain(escape(body));
    expect(html).toContain('Vous recevez ce message parce que vous ');
    expect(html).toContain(`<title>${escape(renderMail(context).subject)}</title>`);
  });

  it.each(CASES)('%s: gives the manage link to attendees only, as a link and written out', (_name, { context, manageLabel }) => {
    const { html, text } = renderMail(context);

    // The satisfaction question is about an event that took place: nothing to manage any more.
    if (context.audience === 'advisor' || context.kind === 'satisfaction') {
      expect(context.manageUrl).toBeNull();
      expect(text).not.toContain('Gérer');
      expect(html).not.toContain('Gérer');
      expect(html).not.toContain('/gerer');
      return;
    }
    expect(text).toContain(`\n${MANAGE_URL}\n`);
    expect(html).toContain(`href="${escape(MANAGE_URL)}"`);
    expect(html).toContain(`>${escape(MANAGE_URL)}</a>`);
    if (manageLabel) {
      expect(plain(text)).toContain(manageLabel);
      expect(plain(html)).toContain(escape(manageLabel));
    }
  });

  it.each(KINDS)('%s: mentions the calendar invite only when one is attached', (kind) => {
    const context = BY_KIND[kind].context;
    const withInvite = renderMail({ ...context, hasInvite: true });
    const withoutInvite = renderMail({ ...context, hasInvite: false });

    expect(withInvite.text).toContain(INVITE);
    expect(withInvite.html).toContain(INVITE);
    expect(withoutInvite.text).not.toContain(INVITE);
    expect(withoutInvite.html).not.toContain(INVITE);
  });

  it('tells the calendar invite to remove the event on cancellations and to update it on changes', () => {
    expect(renderMail(BY_KIND.booking_cancelled.context).text).toContain('pour retirer ce rendez-vous de votre agenda');
    expect(renderMail(BY_KIND.workshop_cancelled.context).text).toContain('pour retirer cet atelier de votre agenda');
    expect(renderMail(BY_KIND.session_moved.context).text).toContain('pour mettre à jour ce rendez-vous dans votre agenda');
    expect(renderMail(BY_KIND.booking_confirmed.context).text).toContain('pour ajouter ce rendez-vous à votre agenda');
  });

  it('leaves out the manage block when an attendee has no manage link', () => {
    const { html, text } = renderMail({ ...BY_KIND.booking_confirmed.context, manageUrl: null });

    expect(text).not.toContain('Gérer votre rendez-vous');
    expect(html).not.toContain('Gérer votre rendez-vous');
    expect(html).not.toContain('href="https://rdv');
  });

  it('keeps every value written by users or staff inert in HTML', () => {
    const payload = '<img src=x onerror=alert(1)>"\'';
    const { html, text } = renderMail(
      mail('advisor_slot_cancelled', {
        event: { ...permanence, title: payload, location: payload, advisorName: payload },
        attendee: { name: payload, email: payload, phone: payload },
        organisation: { name: payload, legalForm: payload },
        topics: [payload],
        message: payload,
        reason: payload,
        recipientName: payload,
      }),
    );

    expect(html).not.toContain('<img');
    expect(html).not.toMatch(/="[^"]*"'/);
    expect(html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;&quot;&#x27;');
    expect(text).toContain(payload);
  });

  it('makes a video link clickable and leaves a street address as text', () => {
    const video = 'https://visio.example.fr/cress-permanence';
    expect(renderMail(mail('reminder', { event: { ...permanence, location: video } })).html).toContain(`<a href="${video}"`);
    expect(renderMail(mail('reminder')).html).not.toContain(`<a href="${escape(permanence.location)}"`);
  });

  it('omits the advisor line when no advisor is named and in mails to the advisor', () => {
    expect(renderMail(mail('booking_confirmed', { event: { ...permanence, advisorName: null } })).text).not.toMatch(/^Avec/m);
    expect(renderMail(mail('advisor_slot_booked')).text).not.toMatch(/^Avec/m);
    expect(renderMail(mail('booking_confirmed')).text).toMatch(/^Avec\u00a0: Claire Fontaine$/m);
  });

  it('keeps the subject on one line whatever the organisation is called', () => {
    const { subject } = renderMail(mail('advisor_slot_booked', { organisation: { name: 'SCOP\r\nBcc: tous@example.fr', legalForm: null } }));

    expect(subject).not.toMatch(/[\r\n]/);
    expect(subject).toContain('SCOP Bcc: tous@example.fr');
  });

  it('says when a waitlisted person has no known position yet', () => {
    const { subject } = renderMail(mail('workshop_waitlisted', { event: workshop, waitlistPosition: null, hasInvite: false }));

    expect(plain(subject)).toBe(`Vous êtes sur la liste d’attente — ${workshop.title}`);
  });

  it.each(KINDS)('%s: writes clean French text (non-breaking spaces, no leftovers)', (kind) => {
    const { subject, text } = renderMail({ ...BY_KIND[kind].context, event: { ...BY_KIND[kind].context.event, title: 'Atelier ESUS' } });

    for (const value of [subject, text]) {
      expect(value).not.toMatch(/ [:;?!»]/);
      expect(value).not.toContain('« ');
      expect(value).not.toMatch(/undefined|null|\[object|\{\{|'/);
    }
    expect(text).not.toMatch(/\n{3,}/);
    expect(text).not.toMatch(/[ \t]\n(?<!-- \n)/);
  });

  it('reads the template files once per process', () => {
    renderMail(BY_KIND.booking_confirmed.context);
    const read = jest.spyOn(fs, 'readFileSync');
    try {
      for (const kind of KINDS) renderMail(BY_KIND[kind].context);
      expect(read).not.toHaveBeenCalled();
    } finally {
      read.mockRestore();
    }
  });

  it('names the missing folder when no templates/mail can be found', () => {
    jest.isolateModules(() => {
      const exists = jest.spyOn(fs, 'existsSync').mockReturnValue(false);
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- jest.isolateModules gives a fresh copy of the module only to a synchronous require.
        const fresh = require('./mail-templates') as { renderMail(context: MailContext): RenderedMail };
        expect(() => fresh.renderMail(BY_KIND.booking_confirmed.context)).toThrow(/templates\/mail/);
      } finally {
        exists.mockRestore();
      }
    });
  });
});
