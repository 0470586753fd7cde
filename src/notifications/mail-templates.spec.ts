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

const permanence: MailContext['event'] = {
  type: 'permanence',
  title: 'Permanence de la CRESS',
  date: 'jeudi 31 décembre 2026',
  startTime: '09:00',
  endTime: '10:00',
  location: 'Saint-Étienne Métropole, 2 avenue Grüner, 42000 Saint-Étienne',
  advisorName: 'Claire Fontaine',
};

const workshop: MailContext['event'] = {
  type: 'workshop',
  title: 'Entreprises à mission et sociétés commerciales de l’ESS',
  date: 'mardi 13 octobre 2026',
  startTime: '09:00',
  endTime: '12:30',
  location: 'Cité du design, 3 rue Javelin-Pagnon, 42000 Saint-Étienne',
  advisorName: null,
};

function mail(kind: MailKind, overrides: Partial<MailContext> = {}): MailContext {
  const advisor = overrides.audience === 'advisor' || kind.startsWith('advisor_');
  return {
    kind,
    audience: advisor ? 'advisor' : 'attendee',
    recipientName: advisor ? 'Claire Fontaine' : HOSTILE,
    event: permanence,
    previous: null,
    attendee: { name: HOSTILE, email: 'direction@ressourcerie-gier.fr', phone: '06 12 34 56 78' },
    organisation: { name: 'Ressourcerie du Gier', legalForm: 'Association loi 1901' },
    topics: ['Évolution des statuts', 'Achats responsables'],
    message: 'Nous envisageons de passer en SCIC\net voulons savoir par où commencer.',
    waitlistPosition: null,
    reason: null,
    manageUrl: advisor ? null : MANAGE_URL,
    hasInvite: true,
    ...overrides,
  };
}

interface Case {
  context: MailContext;
  subject: string;
  /** Values and sentences both bodies must show (written with plain spaces, unescaped). */
  facts: string[];
  manageLabel?: string;
}

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
    context: mail('booking_cancelled', { reason: 'Empêchement de dernière minute' }),
    subject: 'Annulation : votre rendez-vous du jeudi 31 décembre 2026 à 09:00',
    facts: ['a été annulé', 'jeudi 31 décembre 2026', 'de 09:00 à 10:00', 'Motif : Empêchement de dernière minute'],
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
    context: mail('session_cancelled', { reason: 'Grève des transports en commun' }),
    subject: 'Annulation : permanence du jeudi 31 décembre 2026',
    facts: ['La CRESS a dû annuler la permanence du jeudi 31 décembre 2026', 'de 09:00 à 10:00', 'Motif : Grève des transports en commun'],
  },
  session_moved: {
    context: mail('session_moved', { previous: moved, reason: 'Salle de réunion indisponible' }),
    subject: 'Permanence déplacée du jeudi 26 novembre 2026 au jeudi 31 décembre 2026',
    facts: [
      'déplacé la permanence du jeudi 26 novembre 2026 au jeudi 31 décembre 2026',
      'Avant : jeudi 26 novembre 2026, de 11:00 à 12:00',
      'Désormais : jeudi 31 décembre 2026, de 09:00 à 10:00',
      'Motif : Salle de réunion indisponible',
    ],
    manageLabel: PERMANENCE_MANAGE,
  },
  session_changed: {
    context: mail('session_changed', { event: { ...permanence, location: 'Maison de l’ESS, 10 rue de la Paix, 42000 Saint-Étienne' } }),
    subject: 'Changement de lieu : permanence du jeudi 31 décembre 2026',
    facts: ['Le lieu de la permanence du jeudi 31 décembre 2026 a changé', 'de 09:00 à 10:00', 'Maison de l’ESS, 10 rue de la Paix, 42000 Saint-Étienne'],
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
    subject: 'Une place s’est libérée : votre inscription à l’atelier « Entreprises à mission et sociétés commerciales de l’ESS » du mardi 13 octobre 2026 est confirmée',
    facts: ['la place libérée vous a été attribuée', workshop.title, 'mardi 13 octobre 2026', 'de 09:00 à 12:30'],
    manageLabel: WORKSHOP_MANAGE,
  },
  workshop_cancelled: {
    context: mail('workshop_cancelled', { event: workshop, reason: 'Intervenante malade' }),
    subject: 'Annulation : atelier « Entreprises à mission et sociétés commerciales de l’ESS » du mardi 13 octobre 2026',
    facts: ['La CRESS a dû annuler l’atelier', workshop.title, 'mardi 13 octobre 2026', 'de 09:00 à 12:30', 'Motif : Intervenante malade'],
  },
  workshop_changed: {
    context: mail('workshop_changed', {
      event: { ...workshop, date: 'mardi 20 octobre 2026', startTime: '14:00', endTime: '17:30' },
      previous: { date: 'mardi 13 octobre 2026', startTime: '09:00', endTime: '12:30' },
    }),
    subject: 'Modification de l’atelier « Entreprises à mission et sociétés commerciales de l’ESS » : désormais le mardi 20 octobre 2026 à 14:00',
    facts: [
      'a été modifié',
      'Avant : mardi 13 octobre 2026, de 09:00 à 12:30',
      'Désormais : mardi 20 octobre 2026, de 14:00 à 17:30',
      workshop.location,
    ],
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
    facts: ['a été annulé', 'jeudi 31 décembre 2026', 'de 09:00 à 10:00', 'Ressourcerie du Gier', 'direction@ressourcerie-gier.fr', 'Motif : Annulé par la structure'],
  },
};

/** Same kinds sent to the other audience or for the other event type. */
const VARIANTS: Array<[string, Case]> = [
  [
    'session_moved to the advisor',
    {
      context: mail('session_moved', { audience: 'advisor', recipientName: 'Claire Fontaine', manageUrl: null, previous: moved }),
      subject: 'Permanence déplacée du jeudi 26 novembre 2026 au jeudi 31 décembre 2026',
      facts: ['la permanence que vous tenez le jeudi 26 novembre 2026 au jeudi 31 décembre 2026', 'Ressourcerie du Gier', 'direction@ressourcerie-gier.fr', 'de 09:00 à 10:00'],
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

const CASES: Array<[string, Case]> = [...Object.entries(BY_KIND), ...VARIANTS];
const KINDS = Object.keys(BY_KIND) as MailKind[];

function between(text: string, start: string, end: string): string {
  const from = text.indexOf(start);
  const to = text.indexOf(end, from);
  return from >= 0 && to > from ? text.slice(from + start.length, to) : '';
}

describe(renderMail.name, () => {
  it.each(CASES)('%s: states the subject and the key facts in the HTML and the text', (_name, { context, subject, facts }) => {
    const rendered = renderMail(context);

    expect(plain(rendered.subject)).toBe(subject);
    for (const fact of facts) {
      expect(plain(rendered.text)).toContain(fact);
      expect(visible(rendered.html)).toContain(escape(fact).replace(/\s+/g, ' '));
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

    expect(text.startsWith('CRESS — Rendez-vous ESS\n')).toBe(true);
    expect(plain(between(text, greeting, 'L’équipe de la CRESS'))).toContain(body);
    expect(text).toMatch(/\n-- \nVous recevez ce message parce que vous /);
    expect(html).toMatch(/^<!DOCTYPE html>\s*<html lang="fr">/);
    expect(html).toContain('CRESS — Rendez-vous ESS');
    expect(plain(between(html, `Bonjour ${escape(context.recipientName)},`, 'L’équipe de la CRESS'))).toContain(escape(body));
    expect(html).toContain('Vous recevez ce message parce que vous ');
    expect(html).toContain(`<title>${escape(renderMail(context).subject)}</title>`);
  });

  it.each(CASES)('%s: gives the manage link to attendees only, as a link and written out', (_name, { context, manageLabel }) => {
    const { html, text } = renderMail(context);

    if (context.audience === 'advisor') {
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
