import ICAL from 'ical.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OutboxSender } from '../src/notifications/outbox-sender.service';
import { eventStamps, utcStampOf } from './support/calendar-stamps';
import { adminToken, bookingRequest, createStaff, createWorkshop, ListedSession, listSessions, registrationRequest } from './support/factories';
import { client, Client } from './support/http';
import { ReceivedMail, TestSmtpServer } from './support/smtp';
import { startTestApp, TestApp } from './support/test-app';

const ORGANIZER = 'rendez-vous@cress.test';

/** The invite as an independent parser (ical.js) reads it, with the MIME part it came in. */
function invite(mail: ReceivedMail) {
  const part = /Content-Type: text\/calendar; charset=utf-8; method=([A-Z]+)/i.exec(mail.raw);
  const attachment = mail.parsed.attachments.find((file) => file.filename === 'invitation.ics');
  const text = attachment?.content.toString('utf8');
  if (!part || !text) return null;
  const calendar = new ICAL.Component(ICAL.parse(text));
  const event = calendar.getFirstSubcomponent('vevent')!;
  const start = event.getFirstProperty('dtstart')!;
  return {
    mimeMethod: part[1],
    method: calendar.getFirstPropertyValue('method'),
    uid: event.getFirstPropertyValue('uid'),
    sequence: event.getFirstPropertyValue('sequence'),
    status: event.getFirstPropertyValue('status'),
    tzid: start.getParameter('tzid'),
    localStart: (start.getFirstValue() as ICAL.Time).toString(),
    timezones: calendar.getAllSubcomponents('vtimezone').map((zone) => zone.getFirstPropertyValue('tzid')),
    // URIs compare case-insensitively in their scheme (ical-generator writes MAILTO:).
    organizer: String(event.getFirstPropertyValue('organizer')).toLowerCase(),
    attendees: event.getAllProperties('attendee').map((attendee) => String(attendee.getFirstValue()).toLowerCase()),
    attendeeNames: event.getAllProperties('attendee').map((attendee) => attendee.getParameter('cn')),
    summary: event.getFirstPropertyValue('summary'),
    description: String(event.getFirstPropertyValue('description') ?? ''),
    attachments: mail.parsed.attachments.map((file) => file.contentType),
    stamps: eventStamps(text),
    text,
  };
}

describe('e-mails with calendar invites, through a real SMTP server', () => {
  let smtp: TestSmtpServer;
  let app: TestApp;
  let api: Client;
  let sender: OutboxSender;
  let admin: string;
  let session: ListedSession;

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    app = await startTestApp({
      now: '2026-11-27T10:00:00Z',
      env: {
        SMTP_URL: smtp.url,
        ORGANIZER_EMAIL: ORGANIZER,
        PUBLIC_URL: 'https://rdv.cress.test',
        CRESS_NAME: 'CRESS Bretagne',
        METROPOLIS_NAME: 'Rennes Métropole',
      },
    });
    api = client(app.baseUrl);
    sender = app.app.get(OutboxSender);
    admin = await adminToken(api);
    session = (await listSessions(api, '2026-12-31', '2026-12-31'))[0];
  });
  afterAll(async () => {
    await app.close();
    await smtp.stop();
  });

  it('confirms a booking in French with a REQUEST invite the calendar clients accept', async () => {
    const booking = (await api.post('/api/bookings', bookingRequest(session.slots[0].id, { attendee: { name: 'Camille Martin', email: 'camille@asso.test' } })))
      .body;
    expect(await sender.drain()).toBe(1);
    const [mail] = smtp.to('camille@asso.test');
    expect(mail.parsed.subject).toMatch(/31 décembre 2026/);
    expect(mail.parsed.text).toContain('Bonjour Camille Martin');
    expect(mail.parsed.text).toContain(`https://rdv.cress.test/reservations/${booking.id}?token=${booking.manageToken}`);
    expect(mail.parsed.html).toContain('lang="fr"');
    expect(mail.parsed.messageId).toMatch(/@rdv\.cress\.test>$/);
    // MAIL_FROM unset: the sender is the configured CRESS, at the organizer's address.
    expect(mail.parsed.from?.value).toEqual([{ name: 'CRESS Bretagne – Rendez-vous ESS', address: ORGANIZER }]);
    const ics = invite(mail)!;
    expect(ics).toMatchObject({
      summary: 'Permanence de la CRESS Bretagne',
      description: expect.stringMatching(/^Gérer votre rendez-vous : /),
      mimeMethod: 'REQUEST',
      method: 'REQUEST',
      uid: `${booking.id}@rendez-vous-ess`,
      sequence: 0,
      status: 'CONFIRMED',
      tzid: 'Europe/Paris',
      localStart: '2026-12-31T09:00:00',
      timezones: ['Europe/Paris'],
      organizer: `mailto:${ORGANIZER}`,
      attendees: ['mailto:camille@asso.test'],
    });
    // The inline text/calendar alternative and the .ics file; nothing else.
    expect(ics.attachments.filter((type) => !/calendar|ics/.test(type))).toEqual([]);
  });

  it('cancels with METHOD:CANCEL, the same UID, a higher SEQUENCE and STATUS:CANCELLED', async () => {
    const booking = (await api.post('/api/bookings', bookingRequest(session.slots[1].id, { attendee: { name: 'Dominique', email: 'dominique@coop.test' } })))
      .body;
    await api.post(`/api/bookings/${booking.id}/cancel`, {}, booking.manageToken);
    expect(await sender.drain()).toBe(2);
    const [confirmation, cancellation] = smtp.to('dominique@coop.test').map(invite);
    expect(confirmation).toMatchObject({ method: 'REQUEST', sequence: 0 });
    expect(cancellation).toMatchObject({ mimeMethod: 'CANCEL', method: 'CANCEL', uid: confirmation!.uid, status: 'CANCELLED', tzid: 'Europe/Paris' });
    expect(Number(cancellation!.sequence)).toBeGreaterThan(Number(confirmation!.sequence));
  });

  it('stamps each invite in UTC (RFC 5545 §3.8.7.2) with the time its message was recorded', async () => {
    app.clock.set('2026-12-04T03:15:30Z');
    try {
      const booking = (await api.post('/api/bookings', bookingRequest(session.slots[2].id, { attendee: { name: 'Olympe', email: 'olympe@asso.test' } }))).body;
      await api.post(`/api/bookings/${booking.id}/cancel`, {}, booking.manageToken);
      await sender.drain();
    } finally {
      app.clock.set('2026-11-27T10:00:00Z');
    }
    const invites = smtp.to('olympe@asso.test').map(invite);
    expect(invites.map((ics) => ics!.method)).toEqual(['REQUEST', 'CANCEL']);
    for (const ics of invites) {
      expect(ics!.stamps).toEqual([utcStampOf(ics!.uid as string, new Date('2026-12-04T03:15:30Z'))]);
      expect(ics!.text).toContain('\r\nDTSTAMP:20261204T031530Z\r\n');
      expect(ics!.text).not.toMatch(/^TIMEZONE-ID:/m);
    }
  });

  it('tells someone who leaves a workshop about that workshop, not about a permanence', async () => {
    const workshop = await createWorkshop(api, admin, { title: 'Coopératives : la SCIC pas à pas', location: 'Pôle ESS, 15 rue Papu, 35000 Rennes' });
    const seat = (await api.post('/api/bookings', registrationRequest(workshop.id, { attendee: { name: 'Paule', email: 'paule@asso.test' } }))).body;
    await api.post(`/api/bookings/${seat.id}/cancel`, {}, seat.manageToken);
    await sender.drain();
    const [confirmation, cancellation] = smtp.to('paule@asso.test');
    expect(invite(confirmation)).toMatchObject({
      summary: 'Coopératives : la SCIC pas à pas',
      description: expect.stringMatching(/^Gérer votre inscription : https:\/\/rdv\.cress\.test\//),
    });
    const text = cancellation.parsed.text!.replace(/\u00a0/g, ' ');
    expect(cancellation.parsed.subject!.replace(/\u00a0/g, ' ')).toBe(
      'Annulation : votre inscription à l’atelier « Coopératives : la SCIC pas à pas » du jeudi 18 mars 2027',
    );
    expect(text).toContain('Votre inscription à l’atelier « Coopératives : la SCIC pas à pas » du jeudi 18 mars 2027, de 09:00 à 12:30, a été annulée.');
    expect(text).toContain('Vous pouvez vous inscrire à un autre atelier de la CRESS Bretagne : https://rdv.cress.test');
    expect(text).toContain('Lieu : Pôle ESS, 15 rue Papu, 35000 Rennes');
    for (const wording of ['permanence', 'rendez-vous à', 'dernier jeudi', 'Saint-Étienne', 'Auvergne']) expect(text).not.toContain(wording);
    expect(invite(cancellation)).toMatchObject({ method: 'CANCEL', status: 'CANCELLED', uid: `${seat.id}@rendez-vous-ess` });
  });

  it('tells a waitlisted person who leaves, or whose workshop is cancelled, that their request ends, with no invite', async () => {
    const workshop = await createWorkshop(api, admin, { title: 'Mutuelles et fondations', capacity: 1 });
    await api.post('/api/bookings', registrationRequest(workshop.id, { attendee: { name: 'Rose', email: 'rose@asso.test' } }));
    const leaving = (await api.post('/api/bookings', registrationRequest(workshop.id, { attendee: { name: 'Sacha', email: 'sacha@asso.test' } }))).body;
    await api.post('/api/bookings', registrationRequest(workshop.id, { attendee: { name: 'Tom', email: 'tom@asso.test' } }));
    await api.post(`/api/bookings/${leaving.id}/cancel`, {}, leaving.manageToken);
    expect((await api.post(`/api/workshops/${workshop.id}/cancel`, { reason: 'Intervenante absente' }, admin)).status).toBe(200);
    await sender.drain();
    const read = (mail: ReceivedMail) => ({
      subject: mail.parsed.subject!.replace(/\u00a0/g, ' '),
      text: mail.parsed.text!.replace(/\u00a0/g, ' '),
      invite: invite(mail),
    });
    const [, left] = smtp.to('sacha@asso.test').map(read);
    expect(left.subject).toBe('Liste d’attente quittée : atelier « Mutuelles et fondations » du jeudi 18 mars 2027');
    expect(left.text).toContain('Vous avez quitté la liste d’attente de l’atelier « Mutuelles et fondations »');
    expect(left.invite).toBeNull();
    const [, waiting] = smtp.to('tom@asso.test').map(read);
    expect(waiting.text).toContain(
      'La CRESS Bretagne a dû annuler l’atelier « Mutuelles et fondations » prévu le jeudi 18 mars 2027, de 09:00 à 12:30. Votre demande sur la liste d’attente est donc annulée.',
    );
    expect(waiting.invite).toBeNull();
    const [, seated] = smtp.to('rose@asso.test').map(read);
    expect(seated.text).toContain('Votre inscription est donc annulée.');
    expect(seated.invite).toMatchObject({ method: 'CANCEL' });
    for (const { text } of [left, waiting, seated]) expect(text).not.toMatch(/permanence du|votre rendez-vous|créneau/);
  });

  it('after a cancelled appointment, gives the next permanence with its own day, hours and place', async () => {
    const [october] = await listSessions(api, '2027-10-01', '2027-10-31');
    // The first permanence after the message was recorded (the clock says 27 November 2026), other than the one cancelled.
    const [next] = await listSessions(api, '2026-11-27', '2026-12-31');
    const booking = (await api.post('/api/bookings', bookingRequest(october.slots[0].id, { attendee: { name: 'Quentin', email: 'quentin@asso.test' } }))).body;
    await api.post(`/api/bookings/${booking.id}/cancel`, {}, booking.manageToken);
    await sender.drain();
    const [, cancellation] = smtp.to('quentin@asso.test');
    const text = cancellation.parsed.text!.replace(/\u00a0/g, ' ');
    const paris = (instant: string) =>
      new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' }).format(new Date(instant));
    expect(text).toContain('Votre rendez-vous à la permanence de la CRESS Bretagne du jeudi 28 octobre 2027');
    expect(text).toContain(
      `La prochaine permanence a lieu le jeudi 31 décembre 2026, de ${paris(next.startsAt)} à ${paris(next.endsAt)} (${next.location}). Pour y prendre rendez-vous : https://rdv.cress.test`,
    );
    expect(text).toMatch(/à vous demander votre avis et à rendre compte du programme à Rennes Métropole/);
    for (const wording of ['atelier', 'dernier jeudi', '9 h', 'Auvergne', 'Saint-Étienne Métropole']) expect(text).not.toContain(wording);
  });

  it('keeps an attendee name with quotes and semicolons whole in the invite (RFC 6868 parameter encoding)', async () => {
    const name = 'Jean "JJ" Dupont; SCOP';
    await api.post('/api/bookings', bookingRequest(session.slots[3].id, { attendee: { name, email: 'jj@scop.test' } }));
    await sender.drain();
    const [mail] = smtp.to('jj@scop.test');
    expect(invite(mail)).toMatchObject({ attendees: ['mailto:jj@scop.test'], attendeeNames: [name] });
    expect(mail.parsed.text).toContain(`Bonjour ${name},`);
  });

  it('tells the advisor on duty, without an invite, and never shows one attendee to another', async () => {
    const advisor = await createStaff(api, admin, 'advisor', 'Alice Conseil');
    const march = (await listSessions(api, '2027-03-01', '2027-03-31'))[0];
    const staffed = await api.put(`/api/permanences/${march.id}/advisors`, { advisorIds: [advisor.id] }, admin);
    await api.post('/api/bookings', bookingRequest(staffed.body.slots[0].id, { attendee: { name: 'Eve', email: 'eve@asso.test' } }));
    await sender.drain();
    const [notice] = smtp.to(advisor.email);
    expect(notice.parsed.text).toContain('Eve');
    expect(invite(notice)).toBeNull();
    const [attendeeMail] = smtp.to('eve@asso.test');
    expect(attendeeMail.raw).not.toContain(advisor.email.split('@')[0] + '@' + advisor.email.split('@')[1] + '>');
    expect(invite(attendeeMail)!.attendees).toEqual(['mailto:eve@asso.test']);
  });

  it('tells the advisor which appointment a reschedule freed: its own day and hours, not the new ones', async () => {
    const advisor = await createStaff(api, admin, 'advisor', 'Bernard Conseil');
    const september = (await listSessions(api, '2027-09-01', '2027-09-30'))[0];
    const staffed = await api.put(`/api/permanences/${september.id}/advisors`, { advisorIds: [advisor.id] }, admin);
    const booking = (await api.post('/api/bookings', bookingRequest(staffed.body.slots[0].id, { attendee: { name: 'Inès', email: 'ines@asso.test' } }))).body;
    await sender.drain();
    expect((await api.post(`/api/bookings/${booking.id}/reschedule`, { slotId: staffed.body.slots[2].id }, booking.manageToken)).status).toBe(200);
    await sender.drain();
    const [booked, freed, newlyBooked] = smtp.to(advisor.email);
    expect(booked.parsed.subject).toMatch(/^Nouveau rendez-vous .* à 09:00/);
    expect(freed.parsed.subject).toMatch(/^Rendez-vous annulé le jeudi 30 septembre 2027 à 09:00/);
    expect(freed.parsed.text).toContain('de 09:00 à 10:00');
    expect(freed.parsed.text).not.toContain('11:00');
    // 'de Inès' is not French; 'pris par' needs no elision whatever the name.
    expect(freed.parsed.text).toContain('Le rendez-vous pris par Inès (');
    expect(freed.parsed.html).toContain('Le rendez-vous pris par Inès (');
    expect(newlyBooked.parsed.subject).toMatch(/^Nouveau rendez-vous le jeudi 30 septembre 2027 à 11:00/);
  });

  it('gives a waitlisted registration no invite until promoted, then a REQUEST', async () => {
    const workshop = await createWorkshop(api, admin, { capacity: 1 });
    const seated = (await api.post('/api/bookings', registrationRequest(workshop.id, { attendee: { name: 'Farid', email: 'farid@asso.test' } }))).body;
    await api.post('/api/bookings', registrationRequest(workshop.id, { attendee: { name: 'Gaëlle', email: 'gaelle@asso.test' } }));
    await sender.drain();
    expect(invite(smtp.to('gaelle@asso.test')[0])).toBeNull();
    expect(smtp.to('gaelle@asso.test')[0].parsed.text).toMatch(/liste d.attente/);
    await api.post(`/api/bookings/${seated.id}/cancel`, {}, seated.manageToken);
    await sender.drain();
    const promoted = smtp.to('gaelle@asso.test')[1];
    expect(invite(promoted)).toMatchObject({ method: 'REQUEST', status: 'CONFIRMED' });
    expect(invite(smtp.to('farid@asso.test')[1])).toMatchObject({ method: 'CANCEL' });
  });

  it('tells attendees when the CRESS cancels a session, with the reason', async () => {
    const april = (await listSessions(api, '2027-04-01', '2027-04-30'))[0];
    await api.post('/api/bookings', bookingRequest(april.slots[0].id, { attendee: { name: 'Hugo', email: 'hugo@asso.test' } }));
    await api.post(`/api/permanences/${april.id}/cancel`, { reason: 'Conseillère en formation' }, admin);
    await sender.drain();
    const [, cancellation] = smtp.to('hugo@asso.test');
    expect(cancellation.parsed.text).toContain('Conseillère en formation');
    expect(invite(cancellation)).toMatchObject({ method: 'CANCEL', sequence: 1 });
  });

  it('updates the event in place when the attendee reschedules or the CRESS moves the session', async () => {
    const august = (await listSessions(api, '2027-08-01', '2027-08-31'))[0];
    const booking = (await api.post('/api/bookings', bookingRequest(august.slots[0].id, { attendee: { name: 'Maël', email: 'mael@asso.test' } }))).body;
    await api.post(`/api/bookings/${booking.id}/reschedule`, { slotId: august.slots[2].id }, booking.manageToken);
    await api.post(`/api/permanences/${august.id}/move`, { date: '2027-09-02', reason: 'Salle indisponible' }, admin);
    await sender.drain();
    const [confirmed, rescheduled, moved] = smtp.to('mael@asso.test');
    // Invites are built when sent, from the booking as it is then: every one carries the latest
    // times, and the SEQUENCE of its own change, so a client keeps the newest whatever the order.
    expect(invite(confirmed)).toMatchObject({ method: 'REQUEST', sequence: 0, localStart: '2027-09-02T11:00:00' });
    expect(invite(rescheduled)).toMatchObject({ method: 'REQUEST', uid: invite(confirmed)!.uid, sequence: 1 });
    expect(invite(moved)).toMatchObject({ method: 'REQUEST', uid: invite(confirmed)!.uid, sequence: 2, localStart: '2027-09-02T11:00:00' });
    expect(moved.parsed.text).toContain('Salle indisponible');
    expect(moved.parsed.text).toMatch(/26 août 2027/);
    expect(rescheduled.parsed.text).toMatch(/2 septembre 2027/);
  });

  it('sends a reminder once, 48 hours ahead, and none for a cancelled booking', async () => {
    const may = (await listSessions(api, '2027-05-01', '2027-05-31'))[0];
    await api.post('/api/bookings', bookingRequest(may.slots[0].id, { attendee: { name: 'Inès', email: 'ines@asso.test' } }));
    const gone = (await api.post('/api/bookings', bookingRequest(may.slots[1].id, { attendee: { name: 'Jules', email: 'jules@asso.test' } }))).body;
    await api.post(`/api/bookings/${gone.id}/cancel`, {}, gone.manageToken);
    app.clock.set(new Date(new Date(may.slots[0].startsAt).getTime() - 47 * 3_600_000));
    const [first, second] = [await sender.queueReminders(), await sender.queueReminders()];
    await sender.drain();
    app.clock.set('2026-11-27T10:00:00Z');
    expect([first, second]).toEqual([1, 0]);
    const reminders = smtp.to('ines@asso.test').filter((mail) => /rappel/i.test(mail.parsed.subject ?? ''));
    expect(reminders).toHaveLength(1);
    expect(smtp.to('jules@asso.test').filter((mail) => /rappel/i.test(mail.parsed.subject ?? ''))).toHaveLength(0);
  });

  it('loses nothing while the SMTP server is down, and sends each message once when it is back', async () => {
    await smtp.stop();
    const june = (await listSessions(api, '2027-06-01', '2027-06-30'))[0];
    const emails = ['k1@asso.test', 'k2@asso.test', 'k3@asso.test'];
    for (const [i, email] of emails.entries()) {
      expect((await api.post('/api/bookings', bookingRequest(june.slots[i].id, { attendee: { name: `K${i}`, email } }))).status).toBe(201);
    }
    expect(await sender.drain()).toBe(0);
    const waiting = await app.dataSource.query(`SELECT status, attempts, last_error FROM outbox_messages WHERE recipient = ANY($1)`, [emails]);
    expect(waiting.map((row: { status: string; attempts: number }) => [row.status, row.attempts])).toEqual([
      ['pending', 1],
      ['pending', 1],
      ['pending', 1],
    ]);
    await smtp.start();
    expect(await sender.drain()).toBe(0); // not due yet: the retry waits its backoff
    app.clock.set('2026-11-27T10:01:00Z');
    expect(await sender.drain()).toBe(3);
    expect(await sender.drain()).toBe(0);
    app.clock.set('2026-11-27T10:00:00Z');
    for (const email of emails) expect(smtp.to(email)).toHaveLength(1);
  });

  it('marks a message failed after its last try, shows it to admins, and sends it on retry', async () => {
    await smtp.stop();
    const july = (await listSessions(api, '2027-07-01', '2027-07-31'))[0];
    await api.post('/api/bookings', bookingRequest(july.slots[0].id, { attendee: { name: 'Léa', email: 'lea@asso.test' } }));
    let minute = 0;
    for (let attempt = 0; attempt < 8; attempt++) {
      await sender.drain();
      minute += 120;
      app.clock.set(new Date(Date.parse('2026-11-27T10:00:00Z') + minute * 60_000));
    }
    admin = await adminToken(api); // the clock moved past the first token's expiry
    const failed = await api.get('/api/admin/outbox?status=failed', admin);
    expect(failed.status).toBe(200);
    const message = failed.body.find((row: { recipient: string }) => row.recipient === 'lea@asso.test');
    expect(message).toMatchObject({ kind: 'booking_confirmed', status: 'failed', attempts: 8, lastError: expect.any(String) });
    await smtp.start();
    const retried = await api.post(`/api/admin/outbox/${message.id}/retry`, {}, admin);
    expect(retried.body).toEqual({ id: message.id, status: 'pending' });
    expect(await sender.drain()).toBe(1);
    expect(smtp.to('lea@asso.test')).toHaveLength(1);
    const again = await api.post(`/api/admin/outbox/${message.id}/retry`, {}, admin);
    expect([again.status, again.body.code]).toEqual([404, 'not_found']);
    app.clock.set('2026-11-27T10:00:00Z');
  });
});

describe('e-mails without an SMTP server', () => {
  it('writes each message as an .eml file under DATA_DIR/mail', async () => {
    const app = await startTestApp({ now: '2026-11-27T10:00:00Z' });
    try {
      const api = client(app.baseUrl);
      const [session] = await listSessions(api, '2026-12-31', '2026-12-31');
      await api.post('/api/bookings', bookingRequest(session.slots[0].id, { attendee: { name: 'Nour', email: 'nour@asso.test' } }));
      expect(await app.app.get(OutboxSender).drain()).toBe(1);
      const directory = join(app.dataDir, 'mail');
      const files = readdirSync(directory).filter((name) => name.endsWith('.eml'));
      expect(files).toHaveLength(1);
      const eml = readFileSync(join(directory, files[0]), 'utf8');
      expect(eml).toContain('To: Nour <nour@asso.test>');
      expect(eml).toMatch(/method=REQUEST/);
    } finally {
      await app.close();
    }
  });
});

describe('e-mail delivery with two instances on one database', () => {
  it('sends every message exactly once when both senders drain at the same time', async () => {
    const smtp = await new TestSmtpServer().start();
    const first = await startTestApp({ env: { SMTP_URL: smtp.url } });
    const second = await startTestApp({ sameDatabaseAs: first, env: { SMTP_URL: smtp.url } });
    try {
      const api = client(first.baseUrl);
      const admin = await adminToken(api);
      const advisors = await Promise.all(Array.from({ length: 4 }, () => createStaff(api, admin, 'advisor')));
      const [session] = await listSessions(api, '2027-01-01', '2027-01-31');
      const staffed = await api.put(`/api/permanences/${session.id}/advisors`, { advisorIds: advisors.map((advisor) => advisor.id) }, admin);
      const emails = staffed.body.slots.map((_: unknown, i: number) => `twice${i}@asso.test`);
      for (const [i, slot] of (staffed.body.slots as Array<{ id: string }>).entries()) {
        expect((await api.post('/api/bookings', bookingRequest(slot.id, { attendee: { name: `P${i}`, email: emails[i] } }))).status).toBe(201);
      }
      const [a, b] = await Promise.all([first.app.get(OutboxSender).drain(), second.app.get(OutboxSender).drain()]);
      // 16 confirmations and 16 notices to the advisors, shared between the two senders.
      expect(a + b).toBe(32);
      for (const email of emails) expect(smtp.to(email)).toHaveLength(1);
      const ids = smtp.received.map((mail) => mail.parsed.messageId);
      expect(new Set(ids).size).toBe(ids.length);
    } finally {
      await second.close();
      await first.close();
      await smtp.stop();
    }
  });
});
