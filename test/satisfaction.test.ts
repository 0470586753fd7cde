import { attestationUrl } from '../src/bookings/manage-token';
import { OutboxSender } from '../src/notifications/outbox-sender.service';
import { PersonalDataService } from '../src/personal-data/personal-data.service';
import { SatisfactionService } from '../src/satisfaction/satisfaction.service';
import { adminToken, createWorkshop, listSessions, bookingRequest, registrationRequest } from './support/factories';
import { client, Client } from './support/http';
import { ReceivedMail, TestSmtpServer } from './support/smtp';
import { startTestApp, TestApp } from './support/test-app';

const PUBLIC_URL = 'https://rdv.cress.test';
const ANSWER_LINK = /https:\/\/rdv\.cress\.test\/avis\/([0-9a-f-]{36})\?note=([1-5])&jeton=([A-Za-z0-9_-]{43})/g;
const OPT_OUT_LINK = /https:\/\/rdv\.cress\.test\/avis\/([0-9a-f-]{36})\/ne-plus-recevoir\?jeton=([A-Za-z0-9_-]{43})/;

interface Registered {
  id: string;
  manageToken: string;
  email: string;
}

/** French punctuation's non-breaking spaces, as plain ones. */
const plain = (value: string) => value.replace(/[\u00a0\u202f]/g, ' ');

/** The addresses the HTML part links to, entities decoded. */
function hrefs(html: string): string[] {
  return [...html.matchAll(/href="([^"]*)"/g)].map((match) => match[1].replaceAll('&#x3D;', '=').replaceAll('&amp;', '&'));
}

/** The answer links of a satisfaction e-mail's text, by score. */
function answerLinks(mail: ReceivedMail): Map<number, { url: string; bookingId: string; token: string }> {
  const links = new Map<number, { url: string; bookingId: string; token: string }>();
  for (const match of (mail.parsed.text ?? '').matchAll(ANSWER_LINK)) links.set(Number(match[2]), { url: match[0], bookingId: match[1], token: match[3] });
  return links;
}

describe('satisfaction question after an attended event', () => {
  let smtp: TestSmtpServer;
  let app: TestApp;
  let api: Client;
  let admin: string;
  let sender: OutboxSender;
  let satisfaction: SatisfactionService;
  const people: Record<string, Registered> = {};
  let friday: string;
  /** Anna's newest answer token, from one test to the next. */
  let annaToken = '';

  const at = (instant: string) => app.clock.set(new Date(instant));
  const local = (url: string) => url.replace(PUBLIC_URL, app.baseUrl);
  const satisfactionMails = (email: string) => smtp.to(email).filter((mail) => /^Votre avis/.test(mail.parsed.subject ?? ''));
  const answerRow = async (id: string) =>
    (await app.dataSource.query(`SELECT score, comment FROM satisfaction_answers WHERE booking_id = $1`, [id]))[0] as
      { score: number; comment: string | null } | undefined;
  const questionsRecorded = async (id: string) =>
    Number((await app.dataSource.query(`SELECT count(*) AS n FROM outbox_messages WHERE kind = 'satisfaction' AND booking_id = $1`, [id]))[0].n);

  async function register(workshopId: string, key: string, name: string, email = `${key}@asso.test`) {
    const response = await api.post('/api/bookings', registrationRequest(workshopId, { attendee: { name, email } }));
    if (response.status !== 201) throw new Error(`registration failed: ${response.status} ${response.text}`);
    people[key] = { id: response.body.id, manageToken: response.body.manageToken, email };
    return people[key];
  }

  async function attendance(key: string, status: 'present' | 'absent' | 'excused') {
    const response = await api.put(`/api/bookings/${people[key].id}/attendance`, { status }, await adminToken(api));
    if (response.status !== 200) throw new Error(`attendance failed: ${response.status} ${response.text}`);
  }

  /** A page form as a browser sends it: the CSRF cookie and field of the page that shows it. */
  async function postForm(pageUrl: string, action: string, fields: Record<string, string>) {
    const page = await fetch(pageUrl, { headers: { accept: 'text/html' } });
    const cookie = page.headers
      .getSetCookie()
      .find((setCookie) => setCookie.startsWith('rv_csrf='))!
      .split(';')[0];
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1];
    return fetch(`${app.baseUrl}${action}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams({ _csrf: csrf, ...fields }),
    });
  }

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    app = await startTestApp({ now: '2026-11-01T10:00:00Z', env: { SMTP_URL: smtp.url, PUBLIC_URL, CRESS_NAME: 'CRESS Bretagne' } });
    api = client(app.baseUrl);
    admin = await adminToken(api);
    sender = app.app.get(OutboxSender);
    satisfaction = app.app.get(SatisfactionService);

    const tuesday = await createWorkshop(api, admin, {
      title: 'Coopératives : les premiers pas',
      startsAt: '2026-11-10T09:00:00+01:00',
      endsAt: '2026-11-10T12:30:00+01:00',
    });
    await register(tuesday.id, 'helene', 'Hélène Morel');
    await register(tuesday.id, 'denis', 'Denis Roux');
    friday = (await createWorkshop(api, admin, { startsAt: '2026-12-04T09:00:00+01:00', endsAt: '2026-12-04T12:30:00+01:00' })).id;
    for (const [key, name] of [
      ['anna', 'Anna Lefèvre'],
      ['bruno', 'Bruno Petit'],
      ['chloe', 'Chloé Garnier'],
      ['denis', 'Denis Roux'],
      ['emma', 'Emma Faure'],
      ['fabien', 'Fabien Colin'],
      ['gaelle', 'Gaëlle Blanc'],
      ['ines', 'Inès Masson'],
    ]) {
      if (key === 'denis') await register(friday, 'denis2', name, 'denis@asso.test');
      else await register(friday, key, name);
    }
    const cancelled = await api.post(`/api/bookings/${people.emma.id}/cancel`, {}, people.emma.manageToken);
    expect(cancelled.body.status).toBe('cancelled');
    await sender.drain(); // the confirmations
  });

  afterAll(async () => {
    await app?.close();
    await smtp?.stop();
  });

  it('asks the working day after the event from 09:00, and the day after a public holiday when the eve was the event', async () => {
    at('2026-11-10T12:00:00Z');
    await attendance('helene', 'present');
    await attendance('denis', 'present');

    at('2026-11-10T17:00:00Z'); // Tuesday 18:00, the day of the event
    expect(await satisfaction.queueDue()).toBe(0);
    at('2026-11-11T09:30:00Z'); // Wednesday 11 November, Armistice: a public holiday
    expect(await satisfaction.queueDue()).toBe(0);
    at('2026-11-12T07:59:00Z'); // Thursday 08:59
    expect(await satisfaction.queueDue()).toBe(0);
    at('2026-11-12T08:00:00Z'); // Thursday 09:00
    expect(await satisfaction.queueDue()).toBe(2);
    expect(await satisfaction.queueDue()).toBe(0);
    expect(await sender.drain()).toBe(2);

    const [mail] = satisfactionMails('helene@asso.test');
    expect(satisfactionMails('helene@asso.test')).toHaveLength(1);
    expect(plain(mail.parsed.subject!)).toBe('Votre avis sur l’atelier « Coopératives : les premiers pas » du mardi 10 novembre 2026');
    const text = plain(mail.parsed.text!);
    expect(text).toContain('Bonjour Hélène Morel');
    expect(text).toContain('Vous avez participé à l’atelier « Coopératives : les premiers pas » le mardi 10 novembre 2026.');
    expect(text).toContain('Cet atelier vous a-t-il été utile ?');
    const links = answerLinks(mail);
    expect([...links.keys()]).toEqual([1, 2, 3, 4, 5]);
    for (const [score, label] of [
      [1, 'Pas du tout utile'],
      [5, 'Très utile'],
    ] as const) {
      expect(text).toContain(`${label} (${score} sur 5) :\n${links.get(score)!.url}`);
      expect(hrefs(mail.parsed.html as string)).toContain(links.get(score)!.url);
      expect(plain(mail.parsed.html as string)).toContain(`>${label} (${score} sur 5)</a>`);
    }
    expect(text).toContain('changer votre réponse jusqu’au jeudi 10 décembre 2026');
    expect(text).toContain(`Votre attestation de présence (PDF) :\n${attestationUrl(PUBLIC_URL, people.helene.id, people.helene.manageToken)}`);
    expect(text).toMatch(
      /Vous préférez ne plus recevoir de questionnaire de satisfaction \? Indiquez-le en ouvrant ce lien :\nhttps:\/\/rdv\.cress\.test\/avis\/[0-9a-f-]{36}\/ne-plus-recevoir\?jeton=/,
    );
    expect(text).not.toContain('/reservations/' + people.helene.id + '?token=');
    expect(mail.parsed.attachments).toHaveLength(0);
  });

  it('stops asking an address with one click: the GET shows a form, its POST records', async () => {
    const [mail] = satisfactionMails('denis@asso.test');
    const [, bookingId, token] = OPT_OUT_LINK.exec(mail.parsed.text!)!;
    const optedOut = async () =>
      (
        await app.dataSource.query(`SELECT id FROM bookings WHERE attendee_email = 'denis@asso.test' AND satisfaction_opted_out_at IS NOT NULL ORDER BY id`)
      ).map((row: { id: string }) => row.id);

    const url = `${app.baseUrl}/avis/${bookingId}/ne-plus-recevoir?jeton=${token}`;
    const shown = await fetch(url, { headers: { accept: 'text/html' } });
    expect(shown.status).toBe(200);
    expect(await shown.text()).toContain('Ne plus recevoir de questionnaire');
    expect((await fetch(url, { method: 'HEAD' })).status).toBe(200);
    expect(await optedOut()).toEqual([]);

    const forged = await postForm(url, `/avis/${bookingId}/ne-plus-recevoir`, { jeton: token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA') });
    expect(forged.status).toBe(410);
    expect(await optedOut()).toEqual([]);

    const posted = await postForm(url, `/avis/${bookingId}/ne-plus-recevoir`, { jeton: token });
    expect(posted.status).toBe(200);
    expect(await posted.text()).toContain('Vous ne recevrez plus de questionnaire de satisfaction');
    // Both of Denis' bookings, the one asked about and the one to come.
    expect(await optedOut()).toEqual([people.denis.id, people.denis2.id].sort());
    const again = await api.post(`/api/satisfaction/${bookingId}/opt-out`, { token });
    expect(again.status).toBe(200);
    expect(again.body.optedOutAt).toEqual(expect.any(String));
  });

  it('asks on the Monday after a Friday event, only the people present who did not opt out nor ask to be forgotten', async () => {
    at('2026-12-04T12:00:00Z');
    await attendance('anna', 'present');
    await attendance('bruno', 'absent');
    await attendance('chloe', 'excused');
    await attendance('denis2', 'present');
    await attendance('ines', 'present');
    // Emma cancelled: a cancelled booking takes no attendance at all.
    expect((await api.put(`/api/bookings/${people.emma.id}/attendance`, { status: 'present' }, await adminToken(api))).status).toBe(422);

    at('2026-12-05T10:00:00Z'); // Saturday
    expect(await satisfaction.queueDue()).toBe(0);
    expect((await api.post('/api/personal-data/erase', { email: 'ines@asso.test' }, await adminToken(api))).status).toBe(200);
    at('2026-12-06T14:00:00Z'); // Sunday
    expect(await satisfaction.queueDue()).toBe(0);
    at('2026-12-07T07:59:00Z'); // Monday 08:59
    expect(await satisfaction.queueDue()).toBe(0);
    at('2026-12-07T08:00:00Z'); // Monday 09:00
    expect(await satisfaction.queueDue()).toBe(1);
    await sender.drain();

    expect(satisfactionMails('anna@asso.test')).toHaveLength(1);
    for (const key of ['bruno', 'chloe', 'denis2', 'emma', 'ines']) expect(await questionsRecorded(people[key].id)).toBe(0);
    expect(satisfactionMails('bruno@asso.test')).toHaveLength(0);
    expect(satisfactionMails('chloe@asso.test')).toHaveLength(0);
    expect(satisfactionMails('denis@asso.test')).toHaveLength(1); // the November one only
    expect(satisfactionMails('emma@asso.test')).toHaveLength(0);
    expect(satisfactionMails('ines@asso.test')).toHaveLength(0);
  });

  it('asks after attendance recorded a few days late, never after attendance recorded more than 7 days late', async () => {
    at('2026-12-09T18:30:00Z'); // Wednesday 19:30, 5 days after: not in the evening
    await attendance('gaelle', 'present');
    expect(await satisfaction.queueDue()).toBe(0);
    at('2026-12-10T08:00:00Z'); // Thursday 09:00
    expect(await satisfaction.queueDue()).toBe(1);
    at('2026-12-14T10:00:00Z'); // Monday, 10 days after
    await attendance('fabien', 'present');
    expect(await satisfaction.queueDue()).toBe(0);
    await sender.drain();

    expect(satisfactionMails('gaelle@asso.test')).toHaveLength(1);
    expect(satisfactionMails('fabien@asso.test')).toHaveLength(0);
    // Once per booking, ever.
    expect(await questionsRecorded(people.anna.id)).toBe(1);
  });

  it('records nothing on GET or HEAD, records on POST, and refuses a replayed, forged or other booking’s link', async () => {
    at('2026-12-07T09:00:00Z');
    const links = answerLinks(satisfactionMails('anna@asso.test')[0]);
    const four = links.get(4)!;
    expect(four.bookingId).toBe(people.anna.id);

    for (const { url } of links.values()) {
      const shown = await fetch(local(url), { headers: { accept: 'text/html' } });
      expect(shown.status).toBe(200);
      expect(shown.headers.get('cache-control')).toBe('no-store');
      expect((await fetch(local(url), { method: 'HEAD' })).status).toBe(200);
    }
    const page = await (await fetch(local(four.url), { headers: { accept: 'text/html' } })).text();
    expect(page).toContain('Cet atelier vous a-t-il été utile ?');
    expect(page).toMatch(/id="f-note-4" name="note" value="4" required checked/);
    const read = await api.get(`/api/satisfaction/${four.bookingId}?token=${four.token}`);
    expect([read.status, read.body.answer, read.body.event.type]).toEqual([200, null, 'workshop']);
    expect(await answerRow(people.anna.id)).toBeUndefined();

    const posted = await postForm(local(four.url), `/avis/${four.bookingId}`, { jeton: four.token, note: '4' });
    expect(posted.status).toBe(303);
    const next = new URL(posted.headers.get('location')!, app.baseUrl);
    expect(next.pathname).toBe(`/avis/${four.bookingId}`);
    expect(next.searchParams.get('jeton')).not.toBe(four.token);
    expect(await answerRow(people.anna.id)).toEqual({ score: 4, comment: null });

    // The e-mail's links are used up: the one posted and its four siblings alike.
    const replayed = await api.post(`/api/satisfaction/${four.bookingId}`, { token: four.token, score: 1 });
    expect([replayed.status, replayed.body.code]).toEqual([410, 'link_invalid']);
    expect(replayed.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(replayed.body.detail).toMatch(/déjà servi/);
    const reopened = await fetch(local(links.get(2)!.url), { headers: { accept: 'text/html' } });
    expect(reopened.status).toBe(410);
    expect(await reopened.text()).toContain('Ce lien a déjà servi');

    const token = next.searchParams.get('jeton')!;
    const tampered = token.slice(0, 10) + (token[10] === 'a' ? 'b' : 'a') + token.slice(11);
    const forged = await api.post(`/api/satisfaction/${four.bookingId}`, { token: tampered, score: 1 });
    expect([forged.status, forged.body.code]).toEqual([410, 'link_invalid']);
    expect(forged.body.detail).toMatch(/pas valable/);
    const gaelle = people.gaelle.id;
    const otherBooking = await api.post(`/api/satisfaction/${gaelle}`, { token, score: 1 });
    expect([otherBooking.status, otherBooking.body.code]).toEqual([410, 'link_invalid']);
    expect((await fetch(`${app.baseUrl}/avis/${gaelle}?jeton=${token}`, { headers: { accept: 'text/html' } })).status).toBe(410);
    expect(await answerRow(gaelle)).toBeUndefined();
    expect(await answerRow(people.anna.id)).toEqual({ score: 4, comment: null });

    // One link posted five times at once: one answer is recorded, the other four are replays.
    const race = await Promise.all([1, 2, 3, 4, 5].map((score) => api.post(`/api/satisfaction/${four.bookingId}`, { token, score })));
    expect(race.map((response) => response.status).sort()).toEqual([200, 410, 410, 410, 410]);
    const winner = race.find((response) => response.status === 200)!;
    expect(await answerRow(people.anna.id)).toEqual({ score: winner.body.answer.score, comment: null });
    annaToken = winner.body.token;
  });

  it('takes an optional comment and a changed answer for 30 days after the event, then says politely it is closed', async () => {
    const id = people.anna.id;
    const pageUrl = `${app.baseUrl}/avis/${id}?jeton=${annaToken}&fait=1`;
    const page = await (await fetch(pageUrl, { headers: { accept: 'text/html' } })).text();
    expect(page).toContain('Merci : votre réponse est enregistrée.');
    expect(page).toContain('<textarea id="f-commentaire" name="commentaire"');

    const tooLong = await postForm(pageUrl, `/avis/${id}`, { jeton: annaToken, note: '5', commentaire: 'x'.repeat(2001) });
    expect(tooLong.status).toBe(422);
    expect(await tooLong.text()).toContain('Le commentaire ne doit pas dépasser 2000 caractères.');
    const missing = await postForm(pageUrl, `/avis/${id}`, { jeton: annaToken });
    expect(missing.status).toBe(422);
    expect(await missing.text()).toContain('Choisissez une réponse de 1 à 5.');

    const commented = await postForm(pageUrl, `/avis/${id}`, { jeton: annaToken, note: '5', commentaire: '  Très clair, merci <b>!</b>  ' });
    expect(commented.status).toBe(303);
    expect(await answerRow(id)).toEqual({ score: 5, comment: 'Très clair, merci <b>!</b>' });
    let token = new URL(commented.headers.get('location')!, app.baseUrl).searchParams.get('jeton')!;
    const shown = await (await fetch(`${app.baseUrl}/avis/${id}?jeton=${token}`, { headers: { accept: 'text/html' } })).text();
    expect(shown).toContain('Très clair, merci &lt;b&gt;!&lt;/b&gt;</textarea>');

    // The workshop ended on 4 December at 12:30 Paris time: answers are open until 3 January, 12:30.
    at('2027-01-03T11:29:00Z');
    const changed = await api.post(`/api/satisfaction/${id}`, { token, score: 3 });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ answer: { score: 3, comment: 'Très clair, merci <b>!</b>' }, openUntil: '2027-01-03T11:30:00.000Z' });
    token = changed.body.token;
    const removed = await api.post(`/api/satisfaction/${id}`, { token, score: 3, comment: '' });
    expect(removed.body.answer.comment).toBeNull();
    token = removed.body.token;

    at('2027-01-03T11:31:00Z');
    const closedPage = await fetch(`${app.baseUrl}/avis/${id}?jeton=${token}`, { headers: { accept: 'text/html' } });
    expect(closedPage.status).toBe(410);
    const closedText = await closedPage.text();
    expect(closedText).toContain('Le questionnaire est clos');
    expect(closedText).toContain('ouvertes jusqu’au 3 janvier 2027');
    const closed = await api.post(`/api/satisfaction/${id}`, { token, score: 1 });
    expect([closed.status, closed.body.code]).toEqual([410, 'satisfaction_closed']);
    expect(await answerRow(id)).toEqual({ score: 3, comment: null });
  });

  it('refuses bad input with a 4xx problem and French field messages, writing nothing', async () => {
    at('2026-12-08T10:00:00Z');
    const [gaelleMail] = satisfactionMails('gaelle@asso.test');
    const link = answerLinks(gaelleMail).get(5)!;
    for (const [body, field] of [
      [{ token: link.token, score: 6 }, 'score'],
      [{ token: link.token, score: '5' }, 'score'],
      [{ token: link.token, score: 5, comment: 'x'.repeat(2001) }, 'comment'],
      [{ score: 5 }, 'token'],
    ] as const) {
      const response = await api.post(`/api/satisfaction/${link.bookingId}`, body);
      expect([response.status, response.body.code]).toEqual([400, 'validation_failed']);
      expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    }
    expect((await api.post(`/api/satisfaction/not-a-uuid`, { token: link.token, score: 5 })).status).toBe(400);
    expect((await api.get(`/api/satisfaction/${link.bookingId}`)).status).toBe(410);
    expect(await answerRow(link.bookingId)).toBeUndefined();
  });

  it('asks about a permanence on New Year’s Eve on Monday 4 January, in the words of a permanence, without a certificate', async () => {
    at('2026-12-01T10:00:00Z');
    const [session] = await listSessions(api, '2026-12-31', '2026-12-31');
    const booked = await api.post('/api/bookings', bookingRequest(session.slots[0].id, { attendee: { name: 'Paul Vidal', email: 'paul@asso.test' } }));
    people.paul = { id: booked.body.id, manageToken: booked.body.manageToken, email: 'paul@asso.test' };
    at('2026-12-31T09:00:00Z');
    await attendance('paul', 'present');

    at('2027-01-01T10:00:00Z'); // New Year's Day, a Friday
    expect(await satisfaction.queueDue()).toBe(0);
    at('2027-01-04T08:00:00Z'); // Monday 09:00
    expect(await satisfaction.queueDue()).toBe(1);
    await sender.drain();

    const [mail] = satisfactionMails('paul@asso.test');
    expect(plain(mail.parsed.subject!)).toBe('Votre avis sur votre venue à la permanence du jeudi 31 décembre 2026');
    expect(plain(mail.parsed.text!)).toContain('Ce rendez-vous vous a-t-il été utile ?');
    expect(plain(mail.parsed.text!)).toContain('Vous êtes venu·e à la permanence de la CRESS Bretagne le jeudi 31 décembre 2026');
    expect(mail.parsed.text).not.toContain('attestation');
    expect(answerLinks(mail).size).toBe(5);
  });

  it('hands the answers out with the personal data, and erasure or retention delete the comment and keep the score', async () => {
    at('2026-12-10T10:00:00Z');
    const link = answerLinks(satisfactionMails('gaelle@asso.test')[0]).get(2)!;
    const first = await api.post(`/api/satisfaction/${link.bookingId}`, { token: link.token, score: 2 });
    await api.post(`/api/satisfaction/${link.bookingId}`, { token: first.body.token, score: 2, comment: 'Trop rapide pour nous.' });

    const held = await api.get(`/api/personal-data?email=gaelle@asso.test`, await adminToken(api));
    expect(held.body.bookings[0].satisfaction).toMatchObject({
      requestedAt: '2026-12-10T08:00:00.000Z',
      optedOutAt: null,
      score: 2,
      comment: 'Trop rapide pour nous.',
    });
    const paulLink = answerLinks(satisfactionMails('paul@asso.test')[0]).get(5)!;
    at('2027-01-04T09:00:00Z');
    await api.post(`/api/satisfaction/${paulLink.bookingId}`, { token: paulLink.token, score: 5, comment: 'Merci à Claire.' });

    expect((await api.post('/api/personal-data/erase', { email: 'gaelle@asso.test' }, await adminToken(api))).status).toBe(200);
    expect(await answerRow(people.gaelle.id)).toEqual({ score: 2, comment: null });
    expect((await api.get(`/api/satisfaction/${link.bookingId}?token=${first.body.token}`)).status).toBe(410);

    at('2029-01-05T10:00:00Z'); // 24 months after the permanence
    expect(await app.app.get(PersonalDataService).anonymiseExpired()).toBeGreaterThanOrEqual(1);
    expect(await answerRow(people.paul.id)).toEqual({ score: 5, comment: null });
  });

  it('records each question once when two instances and concurrent runs look at the same time, and sends it once', async () => {
    at('2027-02-01T10:00:00Z');
    const workshop = await createWorkshop(api, await adminToken(api), {
      startsAt: '2027-02-11T09:00:00+01:00',
      endsAt: '2027-02-11T12:00:00+01:00',
      capacity: 30,
    });
    const keys = Array.from({ length: 16 }, (_, n) => `rush${n}`);
    for (const key of keys) await register(workshop.id, key, `Personne ${key}`);
    at('2027-02-11T11:30:00Z');
    for (const key of keys) await attendance(key, 'present');

    const second = await startTestApp({ sameDatabaseAs: app, env: { SMTP_URL: smtp.url, PUBLIC_URL } });
    try {
      at('2027-02-12T08:00:00Z'); // Friday 09:00
      second.clock.set(new Date('2027-02-12T08:00:00Z'));
      const otherSatisfaction = second.app.get(SatisfactionService);
      const counts = await Promise.all([satisfaction.queueDue(), otherSatisfaction.queueDue(), satisfaction.queueDue(), otherSatisfaction.queueDue()]);
      expect(counts.reduce((sum, n) => sum + n, 0)).toBe(16);
      for (const key of keys) expect(await questionsRecorded(people[key].id)).toBe(1);

      await Promise.all([sender.drain(), second.app.get(OutboxSender).drain()]);
      for (const key of keys) expect(satisfactionMails(people[key].email)).toHaveLength(1);
    } finally {
      await second.close();
    }
  });
});
