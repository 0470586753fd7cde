import ExcelJS from 'exceljs';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { OutboxSender } from '../src/notifications/outbox-sender.service';
import { adminToken, bookingRequest, createStaff, createWorkshop, listSessions, login, registrationRequest } from './support/factories';
import { client, Client } from './support/http';
import { TestSmtpServer } from './support/smtp';
import { startTestApp, TestApp } from './support/test-app';

interface PdfText {
  pages: Array<{ width: number; height: number; lines: string[] }>;
  title: string | null;
}

/** The PDF's text as pdfjs-dist (Mozilla's parser, not the library that wrote it) reads it. */
function pdfText(pdf: Buffer): Promise<PdfText> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [join(__dirname, 'support', 'pdf-text.mjs')], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout) =>
      error ? reject(new Error(`pdf-text.mjs failed: ${error.message}`)) : resolve(JSON.parse(stdout) as PdfText),
    );
    child.stdin!.end(pdf);
  });
}

/**
 * Alice and Bruno hold the two desks of the permanence of 31 December 2026; a workshop the same
 * afternoon. The clock stops on 27 November 2026. Alice takes calls; the admin prints the sheets.
 */
describe('running the day: staff registering people, registrant lists and sign-in sheets', () => {
  let smtp: TestSmtpServer;
  let app: TestApp;
  let api: Client;
  let get: (path: string, token?: string) => ReturnType<typeof fetchFile>;
  let admin: string;
  let alice: string;
  let viewer: string;
  let aliceId: string;
  let aliceSlots: string[];
  let brunoSlots: string[];
  let sessionId: string;
  let workshopId: string;

  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    app = await startTestApp({
      now: '2026-11-27T10:00:00Z',
      env: {
        SMTP_URL: smtp.url,
        CRESS_NAME: 'CRESS Bretagne',
        CRESS_LEGAL_NAME: 'Chambre régionale de l’ESS de Bretagne',
        CRESS_ADDRESS: '8 rue du Pré Botté, 35000 Rennes',
      },
    });
    api = client(app.baseUrl);
    get = (path, token) => fetchFile(app.baseUrl, path, token);
    admin = await adminToken(api);
    const [a, b, v] = [
      await createStaff(api, admin, 'advisor', 'Alice Conseil'),
      await createStaff(api, admin, 'advisor', 'Bruno Conseil'),
      await createStaff(api, admin, 'viewer', 'Métropole'),
    ];
    aliceId = a.id;
    alice = await login(api, a.email, a.password);
    viewer = await login(api, v.email, v.password);
    const [december] = await listSessions(api, '2026-12-31', '2026-12-31');
    sessionId = december.id;
    const staffed = (await api.put(`/api/permanences/${december.id}/advisors`, { advisorIds: [a.id, b.id] }, admin)).body;
    const desk = (id: string) => staffed.slots.filter((slot: { advisor: { id: string } }) => slot.advisor.id === id).map((slot: { id: string }) => slot.id);
    [aliceSlots, brunoSlots] = [desk(a.id), desk(b.id)];
    workshopId = (
      await createWorkshop(api, admin, {
        title: 'Société à mission : les statuts',
        startsAt: '2026-12-31T14:00:00+01:00',
        endsAt: '2026-12-31T17:30:00+01:00',
        location: 'Maison de l’ESS, Rennes',
        capacity: 2,
      })
    ).id;
  });
  afterAll(async () => {
    await app.close();
    await smtp.stop();
  });

  function staffRequest(request: Record<string, unknown>) {
    return { ...request, consent: { oral: true } };
  }

  describe('POST /api/staff/bookings', () => {
    it('books a slot on an advisor’s own desk for a caller, who gets the same e-mail; the consent names the advisor', async () => {
      const response = await api.post(
        '/api/staff/bookings',
        staffRequest(bookingRequest(aliceSlots[0], { attendee: { name: 'Zoé Lefèvre', email: 'zoe@asso.test' } })),
        alice,
      );
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        status: 'confirmed',
        slotId: aliceSlots[0],
        attendee: { name: 'Zoé Lefèvre' },
        advisor: { name: 'Alice Conseil' },
      });
      const [row] = await app.dataSource.query(`SELECT consent_given_to, consent_version, consent_at FROM bookings WHERE id = $1`, [response.body.id]);
      expect(row.consent_given_to).toBe(aliceId);
      expect(row.consent_version).not.toBeNull();
      await app.app.get(OutboxSender).drain();
      const [mail] = smtp.to('zoe@asso.test');
      expect(mail.parsed.subject).toMatch(/rendez-vous/i);
      const exported = await api.get(`/api/personal-data?email=zoe@asso.test`, admin);
      expect(exported.body.bookings[0].consent).toMatchObject({ givenOrallyTo: 'Alice Conseil' });
    });

    it('leaves the consent of an online booking to no staff member', async () => {
      const online = await api.post('/api/bookings', bookingRequest(brunoSlots[2], { attendee: { name: 'Luc', email: 'luc@asso.test' } }));
      expect(online.status).toBe(201);
      const exported = await api.get(`/api/personal-data?email=luc@asso.test`, admin);
      expect(exported.body.bookings[0].consent.givenOrallyTo).toBeNull();
    });

    it('registers for a workshop, then puts the next person on its waitlist, as online', async () => {
      const first = await api.post(
        '/api/staff/bookings',
        staffRequest(
          registrationRequest(workshopId, { attendee: { name: 'Farid Œuvray', email: 'farid@asso.test' }, organisation: { name: 'Coopérative « L’Étoile »' } }),
        ),
        alice,
      );
      const second = await api.post(
        '/api/bookings',
        registrationRequest(workshopId, { attendee: { name: 'Gaëlle Brière', email: 'gaelle@asso.test' }, organisation: { name: 'Association Été' } }),
      );
      const third = await api.post(
        '/api/staff/bookings',
        staffRequest(registrationRequest(workshopId, { attendee: { name: 'Hugo Attente', email: 'hugo@asso.test' } })),
        admin,
      );
      expect([first.status, first.body.status, second.body.status, third.status, third.body.status]).toEqual([
        201,
        'confirmed',
        'confirmed',
        201,
        'waitlisted',
      ]);
    });

    it('refuses an advisor on a colleague’s desk (403) and writes nothing', async () => {
      const response = await api.post(
        '/api/staff/bookings',
        staffRequest(bookingRequest(brunoSlots[0], { attendee: { name: 'Ines', email: 'ines@asso.test' } })),
        alice,
      );
      expect(response.status).toBe(403);
      expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(await app.dataSource.query(`SELECT 1 FROM bookings WHERE attendee_email = 'ines@asso.test'`)).toEqual([]);
    });

    it('lets an admin book any desk', async () => {
      const response = await api.post(
        '/api/staff/bookings',
        staffRequest(bookingRequest(brunoSlots[0], { attendee: { name: 'Ines', email: 'ines@asso.test' } })),
        admin,
      );
      expect([response.status, response.body.advisor.name]).toEqual([201, 'Bruno Conseil']);
    });

    it('refuses the viewer (403), anyone not signed in (401), and writes nothing', async () => {
      const request = staffRequest(bookingRequest(aliceSlots[3], { attendee: { name: 'Jade', email: 'jade@asso.test' } }));
      expect((await api.post('/api/staff/bookings', request, viewer)).status).toBe(403);
      expect((await api.post('/api/staff/bookings', request)).status).toBe(401);
      expect(await app.dataSource.query(`SELECT 1 FROM bookings WHERE attendee_email = 'jade@asso.test'`)).toEqual([]);
    });

    it('asks for the oral consent in French, field by field, and writes nothing', async () => {
      const missing = await api.post(
        '/api/staff/bookings',
        { ...bookingRequest(aliceSlots[3], { attendee: { name: '', email: 'jade@asso.test' } }), consent: true },
        alice,
      );
      expect(missing.status).toBe(400);
      expect(missing.headers.get('content-type')).toMatch(/application\/problem\+json/);
      const fields = Object.fromEntries((missing.body.errors as Array<{ field: string; message: string }>).map((error) => [error.field, error.message]));
      expect(fields['attendee.name']).toBe('Le nom est requis.');
      expect(fields.consent).toMatch(/accord oralement/);
      const notTrue = await api.post('/api/staff/bookings', { ...bookingRequest(aliceSlots[3]), consent: { oral: false } }, alice);
      expect(notTrue.status).toBe(400);
      expect(JSON.stringify(notTrue.body.errors)).toMatch(/accord oralement/);
      expect(await app.dataSource.query(`SELECT 1 FROM bookings WHERE slot_id = $1`, [aliceSlots[3]])).toEqual([]);
    });

    it('answers a retry with the same Idempotency-Key with the first booking', async () => {
      const request = staffRequest(bookingRequest(aliceSlots[1], { attendee: { name: 'Kim', email: 'kim@asso.test' } }));
      const key = '6f1c2d4e-8a9b-4c3d-9e2f-1a2b3c4d5e6f';
      const first = await api.request('POST', '/api/staff/bookings', { body: request, token: alice, headers: { 'idempotency-key': key } });
      const again = await api.request('POST', '/api/staff/bookings', { body: request, token: alice, headers: { 'idempotency-key': key } });
      expect([first.status, again.status, again.body.id]).toEqual([201, 201, first.body.id]);
      expect(await app.dataSource.query(`SELECT 1 FROM bookings WHERE attendee_email = 'kim@asso.test'`)).toHaveLength(1);
    });
  });

  describe('a workshop’s registrants', () => {
    it('as CSV for French spreadsheets: BOM, semicolons, confirmed then waitlisted, who took an oral consent', async () => {
      const file = await get(`/api/workshops/${workshopId}/registrants?format=csv`, alice);
      expect(file.status).toBe(200);
      expect(file.type).toBe('text/csv; charset=utf-8');
      expect(file.disposition).toBe('attachment; filename="inscrits-atelier-2026-12-31.csv"');
      expect(file.text.startsWith('\uFEFFStatut;Nom;E-mail;')).toBe(true);
      const lines = file.text.slice(1).trim().split('\r\n');
      expect(lines).toHaveLength(4);
      expect(lines[1]).toMatch(/^Inscrit·e;Farid Œuvray;farid@asso\.test;.*;Alice Conseil$/);
      expect(lines[2]).toMatch(/^Inscrit·e;Gaëlle Brière;gaelle@asso\.test;.*;$/);
      expect(lines[3]).toMatch(/^Liste d’attente \(1\);Hugo Attente;/);
      // Legal forms as the lists name them now.
      expect((await api.patch('/api/lists/legal-forms/association', { label: 'Association loi 1901' }, admin)).status).toBe(200);
      const renamed = await get(`/api/workshops/${workshopId}/registrants?format=csv`, alice);
      expect(renamed.text).toContain(';Association loi 1901;');
      expect((await api.patch('/api/lists/legal-forms/association', { label: 'Association' }, admin)).status).toBe(200);
    });

    it('as XLSX, the same rows', async () => {
      const file = await get(`/api/workshops/${workshopId}/registrants?format=xlsx`, admin);
      expect(file.status).toBe(200);
      expect(file.type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(file.body as unknown as ArrayBuffer);
      const sheet = workbook.getWorksheet('Inscrits')!;
      expect(sheet.getRow(1).getCell(2).value).toBe('Nom');
      expect([2, 3, 4].map((row) => sheet.getRow(row).getCell(2).value)).toEqual(['Farid Œuvray', 'Gaëlle Brière', 'Hugo Attente']);
    });

    it('refuses the viewer (403), an unknown format (400) and an unknown workshop (404)', async () => {
      expect((await get(`/api/workshops/${workshopId}/registrants?format=csv`, viewer)).status).toBe(403);
      expect((await get(`/api/workshops/${workshopId}/registrants?format=csv`)).status).toBe(401);
      const bad = await get(`/api/workshops/${workshopId}/registrants?format=pdf`, admin);
      expect([bad.status, bad.type]).toEqual([400, 'application/problem+json; charset=utf-8']);
      expect(bad.text).toMatch(/Format inconnu/);
      expect((await get(`/api/workshops/00000000-0000-4000-8000-000000000000/registrants?format=csv`, admin)).status).toBe(404);
    });
  });

  describe('sign-in sheets (feuilles d’émargement)', () => {
    it('a workshop’s: A4, the CRESS, the workshop, its date, time and place, one line per confirmed registrant, walk-in lines, page numbers', async () => {
      const file = await get(`/api/workshops/${workshopId}/sign-in-sheet?blankLines=3`, alice);
      expect(file.status).toBe(200);
      expect(file.type).toBe('application/pdf');
      expect(file.disposition).toBe('attachment; filename="emargement-atelier-2026-12-31.pdf"');
      const pdf = await pdfText(file.body);
      expect(pdf.pages).toHaveLength(1);
      const [page] = pdf.pages;
      expect([Math.round(page.width), Math.round(page.height)]).toEqual([595, 842]);
      expect(page.lines).toEqual(
        expect.arrayContaining([
          'CRESS Bretagne',
          'Feuille d’émargement',
          'Atelier « Société à mission : les statuts »',
          'Date : jeudi 31 décembre 2026',
          'Horaire : 14 h – 17 h 30',
          'Lieu : Maison de l’ESS, Rennes',
          'Farid Œuvray',
          'Coopérative « L’Étoile »',
          'Gaëlle Brière',
          'Association Été',
          'Signature',
          'Page 1 / 1',
        ]),
      );
      expect(page.lines.join('\n')).toContain('Chambre régionale de l’ESS de Bretagne – 8 rue du Pré Botté, 35000 Rennes');
      // Two registrants and three empty lines, numbered; the waitlisted person is not on the sheet.
      expect(page.lines.filter((line) => /^\d+$/.test(line))).toEqual(['1', '2', '3', '4', '5']);
      expect(page.lines).not.toContain('Hugo Attente');
    });

    it('names the CRESS as the settings page sets it now', async () => {
      const before = (await api.get('/api/settings', admin)).body as { address: string };
      expect((await api.patch('/api/settings', { address: '2 quai de l’Exemple, 35000 Rennes' }, admin)).status).toBe(200);
      const pdf = await pdfText((await get(`/api/workshops/${workshopId}/sign-in-sheet`, alice)).body);
      expect(pdf.pages[0].lines.join('\n')).toContain('2 quai de l’Exemple, 35000 Rennes');
      expect((await api.patch('/api/settings', { address: before.address }, admin)).status).toBe(200);
    });

    it('runs on as many pages as needed, each numbered "Page n / N", the same bytes for the same data', async () => {
      const first = await get(`/api/workshops/${workshopId}/sign-in-sheet?blankLines=60`, admin);
      const again = await get(`/api/workshops/${workshopId}/sign-in-sheet?blankLines=60`, admin);
      expect(first.body.equals(again.body)).toBe(true);
      const pdf = await pdfText(first.body);
      expect(pdf.pages.length).toBe(3);
      pdf.pages.forEach((page, index) => expect(page.lines).toContain(`Page ${index + 1} / 3`));
      expect(pdf.pages.flatMap((page) => page.lines.filter((line) => /^\d+$/.test(line))).at(-1)).toBe('62');
    });

    it('a permanence day’s: each booking with its time and advisor; an advisor’s sheet lists their own desk', async () => {
      const all = await pdfText((await get(`/api/permanences/${sessionId}/sign-in-sheet`, admin)).body);
      const adminLines = all.pages.flatMap((page) => page.lines);
      expect(adminLines).toEqual(
        expect.arrayContaining([
          'Permanence de la CRESS Bretagne',
          'Date : jeudi 31 décembre 2026',
          'Zoé Lefèvre',
          'Ines',
          'Luc',
          'Alice Conseil',
          'Bruno Conseil',
          'Heure',
          'Conseiller·ère',
          'Page 1 / 1',
        ]),
      );
      expect(adminLines.filter((line) => line.endsWith('…'))).toEqual([]);
      const own = await pdfText((await get(`/api/permanences/${sessionId}/sign-in-sheet`, alice)).body);
      const aliceLines = own.pages.flatMap((page) => page.lines);
      expect(aliceLines).toEqual(expect.arrayContaining(['Zoé Lefèvre', 'Kim']));
      expect(aliceLines).not.toContain('Ines');
      expect(aliceLines).not.toContain('Luc');
    });

    it('refuses the viewer (403), a bad line count (400, in French) and an unknown session (404)', async () => {
      expect((await get(`/api/permanences/${sessionId}/sign-in-sheet`, viewer)).status).toBe(403);
      expect((await get(`/api/workshops/${workshopId}/sign-in-sheet`, viewer)).status).toBe(403);
      const bad = await get(`/api/workshops/${workshopId}/sign-in-sheet?blankLines=500`, admin);
      expect(bad.status).toBe(400);
      expect(bad.text).toMatch(/lignes libres/);
      expect((await get(`/api/permanences/00000000-0000-4000-8000-000000000000/sign-in-sheet`, admin)).status).toBe(404);
    });
  });
});

async function fetchFile(baseUrl: string, path: string, token?: string) {
  const response = await fetch(`${baseUrl}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const body = Buffer.from(await response.arrayBuffer());
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    disposition: response.headers.get('content-disposition'),
    body,
    text: body.toString('utf8'),
  };
}
