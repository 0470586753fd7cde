import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { adminToken, bookingRequest, createStaff, createWorkshop, listSessions, login, registrationRequest } from './support/factories';
import { client, Client } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

interface PdfText {
  pages: Array<{ width: number; height: number; lines: string[] }>;
  title: string | null;
  author: string | null;
  subject: string | null;
  language: string | null;
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

interface Download {
  status: number;
  type: string | null;
  cacheControl: string | null;
  disposition: string | null;
  body: Buffer;
  text: string;
}

const IDENTITY = {
  CRESS_NAME: 'CRESS Loire-Essai',
  CRESS_LEGAL_NAME: 'Chambre régionale de l’économie sociale et solidaire Loire-Essai',
  CRESS_ADDRESS: '12 rue des Essais, 42000 Saint-Étienne',
  CRESS_CONTACT_EMAIL: 'contact@cress-essai.test',
};

const TITLE = 'Les statuts de l’ESS : entreprises à mission, sociétés commerciales de l’ESS';
const PLACE = 'Maison de l’ESS, Saint-Étienne';

/**
 * One workshop on Thursday 18 March 2027, 09:00–12:30 Paris (five seats, two waiting), a permanence
 * booking on 31 December 2026, and a workshop across the switch to summer time. The clock starts on
 * 27 November 2026, then moves past the events for attendance.
 */
describe('attendance certificates (attestations de présence)', () => {
  let app: TestApp;
  let api: Client;
  let admin: string;
  let advisor: string;
  let viewer: string;
  /** The bookings, by role in the story, with their manage tokens. */
  const people: Record<string, { id: string; token: string }> = {};
  let workshopId: string;
  let accounts: { advisor: { email: string }; viewer: { email: string }; password: string };

  async function fetchFile(path: string, options: { token?: string; accept?: string } = {}): Promise<Download> {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.accept) headers.accept = options.accept;
    const response = await fetch(`${app.baseUrl}${path}`, { headers });
    const body = Buffer.from(await response.arrayBuffer());
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      cacheControl: response.headers.get('cache-control'),
      disposition: response.headers.get('content-disposition'),
      body,
      text: body.toString('utf8'),
    };
  }

  const apiFile = (who: string, token = people[who].token) => fetchFile(`/api/bookings/${people[who].id}/attestation.pdf?token=${encodeURIComponent(token)}`);
  const pageFile = (who: string, token = people[who].token) =>
    fetchFile(`/reservations/${people[who].id}/attestation.pdf?token=${encodeURIComponent(token)}`, { accept: 'text/html' });

  async function register(who: string, id: string, overrides: Record<string, unknown> = {}) {
    const response = await api.post('/api/bookings', registrationRequest(id, overrides));
    expect(response.status).toBe(201);
    people[who] = { id: response.body.id, token: response.body.manageToken };
    return response.body;
  }

  async function attendance(who: string, status: 'present' | 'absent' | 'excused') {
    const response = await api.put(`/api/bookings/${people[who].id}/attendance`, { status }, admin);
    expect(response.status).toBe(200);
  }

  /** Access tokens expire: sign in again after the clock moved. */
  async function moveClock(instant: string) {
    app.clock.set(instant);
    admin = await adminToken(api);
    advisor = await login(api, accounts.advisor.email, accounts.password);
    viewer = await login(api, accounts.viewer.email, accounts.password);
  }

  async function certificates(): Promise<number> {
    const [row] = await app.dataSource.query(`SELECT count(*)::int AS n FROM attendance_certificates`);
    return row.n;
  }

  beforeAll(async () => {
    app = await startTestApp({ now: '2026-11-27T10:00:00Z', env: IDENTITY });
    api = client(app.baseUrl);
    admin = await adminToken(api);
    const advisorAccount = await createStaff(api, admin, 'advisor', 'Alice Conseil');
    const viewerAccount = await createStaff(api, admin, 'viewer', 'Métropole');
    accounts = { advisor: advisorAccount, viewer: viewerAccount, password: advisorAccount.password };

    const workshop = await createWorkshop(api, admin, { title: TITLE, location: PLACE, capacity: 5 });
    workshopId = workshop.id;
    await register('zoe', workshopId, {
      attendee: { name: 'Zoé L’Hôpital-Müller', email: 'zoe@asso.test' },
      organisation: { name: 'Coopérative « Les Œillets » d’Étienne', postcode: '42000' },
    });
    await register('bruno', workshopId, { attendee: { name: 'Bruno Lefèvre', email: 'bruno@asso.test' } });
    await register('absent', workshopId);
    await register('unmarked', workshopId);
    await register('cancelled', workshopId);
    await register('promoted', workshopId);
    const waiting = await register('waiting', workshopId);
    expect(waiting.status).toBe('waitlisted');
    expect((await api.post(`/api/bookings/${people.cancelled.id}/cancel?token=${people.cancelled.token}`, {})).status).toBe(200);

    const [december] = await listSessions(api, '2026-12-31', '2026-12-31');
    const slot = await api.post('/api/bookings', bookingRequest(december.slots[0].id));
    expect(slot.status).toBe(201);
    people.permanence = { id: slot.body.id, token: slot.body.manageToken };

    // 01:00 to 04:00 Paris on 28 March 2027: the clocks go forward at 02:00, so it lasts two hours.
    const summer = await createWorkshop(api, admin, {
      title: 'Atelier de nuit',
      startsAt: '2027-03-28T01:00:00+01:00',
      endsAt: '2027-03-28T04:00:00+02:00',
      capacity: 10,
    });
    await register('night', summer.id, { attendee: { name: 'Noé Nuit', email: 'noe@asso.test' } });
    await register('erased', summer.id, { attendee: { name: 'Eva Efface', email: 'eva@asso.test' } });
    await register('concurrent', summer.id);
    await register('concurrentOther', summer.id);

    await moveClock('2027-03-29T10:00:00Z');
    await attendance('zoe', 'present');
    await attendance('bruno', 'present');
    await attendance('absent', 'absent');
    await attendance('permanence', 'present');
    await attendance('night', 'present');
    await attendance('erased', 'present');
    await attendance('concurrent', 'present');
    await attendance('concurrentOther', 'present');
    expect((await api.post('/api/personal-data/erase', { email: 'eva@asso.test' }, admin)).status).toBe(200);
  });
  afterAll(() => app.close());

  it('gives the present attendee an A4 PDF in French with every field, the CRESS’ identity and a reference', async () => {
    const file = await apiFile('zoe');
    expect(file.status).toBe(200);
    expect(file.type).toBe('application/pdf');
    expect(file.cacheControl).toBe('no-store');
    expect(file.disposition).toMatch(/^attachment; filename="attestation-de-presence-ATT-2027-\d{5}\.pdf"$/);
    const reference = /filename="attestation-de-presence-(ATT-2027-\d{5})\.pdf"/.exec(file.disposition!)![1];

    // Kept to look at (pdftoppm -png test-artifacts/attestation.pdf).
    mkdirSync(join(__dirname, '..', 'test-artifacts'), { recursive: true });
    writeFileSync(join(__dirname, '..', 'test-artifacts', 'attestation.pdf'), file.body);
    const pdf = await pdfText(file.body);
    expect(pdf.pages).toHaveLength(1);
    expect(Math.round(pdf.pages[0].width)).toBe(595);
    expect(Math.round(pdf.pages[0].height)).toBe(842);
    const lines = pdf.pages[0].lines;
    const text = lines.join(' ');
    // The issuer.
    expect(lines).toContain('CRESS Loire-Essai');
    expect(lines).toContain('Chambre régionale de l’économie sociale et solidaire Loire-Essai');
    expect(lines).toContain('12 rue des Essais, 42000 Saint-Étienne');
    expect(lines).toContain('Contact : contact@cress-essai.test');
    expect(lines).toContain(`Référence : ${reference}`);
    expect(lines).toContain('Attestation de présence');
    // The details, each a label and its value; the apostrophes, accents and « » as typed.
    const value = (label: string) => lines[lines.indexOf(label) + 1];
    expect(value('Participant·e')).toBe('Zoé L’Hôpital-Müller');
    expect(value('Structure')).toBe('Coopérative « Les Œillets » d’Étienne');
    expect(value('Date')).toBe('jeudi 18 mars 2027');
    expect(value('Horaire')).toBe('9 h – 12 h 30');
    expect(value('Durée')).toBe('3 h 30 min');
    expect(value('Lieu')).toBe(PLACE);
    expect(value('Référence')).toBe(reference);
    // The sentence, and the date of issue: the workshop's, not the download's (29 March).
    expect(text).toContain('La CRESS Loire-Essai atteste que Zoé L’Hôpital-Müller, de la structure Coopérative « Les Œillets » d’Étienne,');
    expect(text).toContain(`a participé à l’atelier « ${TITLE} » le jeudi 18 mars 2027, de 9 h à 12 h 30 (durée : 3 h 30 min), à ${PLACE}.`);
    expect(text).toContain('Fait le jeudi 18 mars 2027, pour la CRESS Loire-Essai.');
    expect(text).not.toContain('29 mars');
    // The document's metadata.
    expect(pdf.title).toBe(`Attestation de présence – Atelier « ${TITLE} » – jeudi 18 mars 2027`);
    expect(pdf.author).toBe('Chambre régionale de l’économie sociale et solidaire Loire-Essai');
    expect(pdf.subject).toBe(`Attestation de présence ${reference}`);
    expect(pdf.language).toBe('fr-FR');
  });

  it('writes a workshop across the switch to summer time with its real length', async () => {
    const pdf = await pdfText((await apiFile('night')).body);
    const lines = pdf.pages[0].lines;
    expect(lines[lines.indexOf('Horaire') + 1]).toBe('1 h – 4 h');
    expect(lines[lines.indexOf('Durée') + 1]).toBe('2 h');
    expect(lines[lines.indexOf('Date') + 1]).toBe('dimanche 28 mars 2027');
  });

  it('keeps the longest values the forms accept on one page, above its foot', async () => {
    const long = (words: string, length: number) =>
      words
        .repeat(Math.ceil(length / words.length))
        .slice(0, length)
        .trim();
    app.clock.set('2026-11-27T10:00:00Z');
    const workshop = await createWorkshop(api, await adminToken(api), {
      title: long('Atelier très détaillé sur les statuts de l’ESS ', 200),
      location: long('Salle polyvalente de la Maison de l’économie sociale et solidaire ', 300),
      startsAt: '2027-03-19T09:00:00+01:00',
      endsAt: '2027-03-19T12:00:00+01:00',
    });
    await register('long', workshop.id, {
      attendee: { name: long('Marie-Anne Élisabeth de La Tour d’Auvergne ', 200), email: 'longue@asso.test' },
      organisation: { name: long('Association intercommunale pour l’insertion ', 200) },
    });
    await moveClock('2027-03-29T10:00:00Z');
    await attendance('long', 'present');
    const file = await apiFile('long');
    expect(file.status).toBe(200);
    writeFileSync(join(__dirname, '..', 'test-artifacts', 'attestation-long.pdf'), file.body);
    const pdf = await pdfText(file.body);
    expect(pdf.pages).toHaveLength(1);
    const lines = pdf.pages[0].lines;
    expect(lines.at(-1)).toMatch(/authenticité sur demande\.$/);
    expect(lines.join(' ')).toContain('Fait le vendredi 19 mars 2027, pour la CRESS Loire-Essai.');
  });

  it('gives the same bytes on every download, from the page, the API and the staff, on another day too', async () => {
    const first = await apiFile('zoe');
    const again = await apiFile('zoe');
    const page = await pageFile('zoe');
    expect(page.status).toBe(200);
    expect(page.cacheControl).toBe('no-store');
    await moveClock('2027-06-01T08:00:00Z');
    const later = await fetchFile(`/api/bookings/${people.zoe.id}/attestation.pdf`, { token: people.zoe.token });
    const staff = await fetchFile(`/api/bookings/${people.zoe.id}/attestation.pdf`, { token: advisor });
    await moveClock('2027-03-29T10:00:00Z');
    expect(first.body.length).toBeGreaterThan(1000);
    for (const other of [again, page, later, staff]) {
      expect(other.status).toBe(200);
      expect(other.body.equals(first.body)).toBe(true);
    }
    // pdfkit's dates are the workshop's end, and its document ID follows from them.
    expect(first.text.match(/\(D:\d{14}Z\)/g)).toEqual(['(D:20270318113000Z)', '(D:20270318113000Z)']);
    expect(first.text).toMatch(/\/ID \[<[0-9a-f]{32}> <[0-9a-f]{32}>\]/);
  });

  it('keeps one reference per booking, different for each attendee', async () => {
    const referenceOf = async (who: string) => /filename="attestation-de-presence-(ATT-2027-\d{5})\.pdf"/.exec((await apiFile(who)).disposition!)![1];
    const zoe = await referenceOf('zoe');
    const bruno = await referenceOf('bruno');
    expect(bruno).not.toBe(zoe);
    expect(await referenceOf('zoe')).toBe(zoe);
    const brunoPdf = await pdfText((await apiFile('bruno')).body);
    expect(brunoPdf.pages[0].lines).toContain('Bruno Lefèvre');
    expect(brunoPdf.pages[0].lines).toContain(bruno);
    const stored: Array<{ id: string; reference: string }> = await app.dataSource.query(
      `SELECT booking_id AS id, reference FROM attendance_certificates WHERE booking_id = ANY($1::uuid[])`,
      [[people.zoe.id, people.bruno.id]],
    );
    expect(Object.fromEntries(stored.map((row) => [row.id, row.reference]))).toEqual({ [people.zoe.id]: zoe, [people.bruno.id]: bruno });
  });

  it('gives one reference to simultaneous first downloads, and two to two attendees downloading at once', async () => {
    const downloads = await Promise.all([
      ...Array.from({ length: 6 }, () => apiFile('concurrent')),
      ...Array.from({ length: 6 }, () => apiFile('concurrentOther')),
    ]);
    downloads.forEach((download) => expect(download.status).toBe(200));
    const mine = new Set(downloads.slice(0, 6).map((download) => download.disposition));
    const theirs = new Set(downloads.slice(6).map((download) => download.disposition));
    expect(mine.size).toBe(1);
    expect(theirs.size).toBe(1);
    expect([...mine][0]).not.toBe([...theirs][0]);
    downloads.slice(1, 6).forEach((download) => expect(download.body.equals(downloads[0].body)).toBe(true));
    const rows = await app.dataSource.query(`SELECT booking_id FROM attendance_certificates WHERE booking_id = ANY($1::uuid[])`, [
      [people.concurrent.id, people.concurrentOther.id],
    ]);
    expect(rows).toHaveLength(2);
  });

  describe('refuses everyone else with a clear French answer, and issues nothing', () => {
    let before: number;
    beforeAll(async () => {
      before = await certificates();
    });
    afterAll(async () => {
      expect(await certificates()).toBe(before);
    });

    const refusals: Array<[string, string, number, string, RegExp]> = [
      ['absent', 'someone marked absent', 422, 'attestation_unavailable', /réservée aux personnes notées présentes.*contact@cress-essai\.test/],
      ['unmarked', 'someone whose attendance is not recorded yet', 422, 'attestation_unavailable', /pas encore été notée/],
      ['promoted', 'someone promoted from the waitlist, not marked', 422, 'attestation_unavailable', /pas encore été notée/],
      ['cancelled', 'a cancelled registration', 422, 'booking_cancelled', /annulée/],
      ['waiting', 'someone still on the waitlist', 422, 'booking_waitlisted', /liste d’attente/],
      ['permanence', 'a permanence booking, even marked present', 422, 'attestation_unavailable', /délivrées pour les ateliers/],
      ['erased', 'a booking anonymised on request', 422, 'attestation_unavailable', /effacées/],
    ];
    it.each(refusals)('%s: %s', async (who, _what, status, code, detail) => {
      const answer = await apiFile(who);
      expect(answer.status).toBe(status);
      expect(answer.type).toContain('application/problem+json');
      const problem = JSON.parse(answer.text);
      expect(problem.code).toBe(code);
      expect(problem.detail).toMatch(detail);
      // The page: the same status, a French page saying why.
      const page = await pageFile(who);
      expect(page.status).toBe(status);
      expect(page.type).toContain('text/html');
      expect(page.text).toContain('Action impossible');
      expect(page.text).toMatch(detail);
    });

    it('a wrong token, a missing token, an unknown booking, a malformed id', async () => {
      const wrong = await apiFile('zoe', people.bruno.token);
      expect(wrong.status).toBe(404);
      expect(JSON.parse(wrong.text).code).toBe('booking_not_found');
      const missing = await fetchFile(`/api/bookings/${people.zoe.id}/attestation.pdf`);
      expect(missing.status).toBe(401);
      expect(JSON.parse(missing.text).code).toBe('token_required');
      const unknown = await fetchFile(`/api/bookings/00000000-0000-4000-8000-000000000000/attestation.pdf?token=${people.zoe.token}`);
      expect(unknown.status).toBe(404);
      const malformed = await fetchFile(`/api/bookings/nope/attestation.pdf?token=${people.zoe.token}`);
      expect(malformed.status).toBe(400);
      const pageWrong = await pageFile('zoe', people.bruno.token);
      expect(pageWrong.status).toBe(404);
      expect(pageWrong.type).toContain('text/html');
      expect(pageWrong.text).toContain('lien de gestion invalide');
      const pageMissing = await fetchFile(`/reservations/${people.zoe.id}/attestation.pdf`, { accept: 'text/html' });
      expect(pageMissing.status).toBe(401);
      expect(pageMissing.text).toContain('Le lien de gestion de la réservation (jeton) est requis.');
    });

    it('the metropolis’ viewer, who never sees an attendee’s name', async () => {
      const answer = await fetchFile(`/api/bookings/${people.zoe.id}/attestation.pdf`, { token: viewer });
      expect(answer.status).toBe(403);
      expect(JSON.parse(answer.text).code).toBe('forbidden');
    });

    it('staff asking for a booking that is not present gets the same reasons', async () => {
      const answer = await fetchFile(`/api/bookings/${people.absent.id}/attestation.pdf`, { token: admin });
      expect(answer.status).toBe(422);
      expect(JSON.parse(answer.text).code).toBe('attestation_unavailable');
    });
  });

  it('lets an admin or advisor download it for the attendee, and journals each download', async () => {
    const answer = await fetchFile(`/api/bookings/${people.bruno.id}/attestation.pdf`, { token: admin });
    expect(answer.status).toBe(200);
    expect(answer.cacheControl).toBe('no-store');
    const journal = await api.get('/api/admin/journal?action=attestation.downloaded', admin);
    expect(journal.status).toBe(200);
    const entries = journal.body.entries.filter((entry: { subjectId: string | null }) => entry.subjectId === people.bruno.id);
    expect(entries).toHaveLength(1);
    const reference = /(ATT-2027-\d{5})/.exec(answer.disposition!)![1];
    expect(entries[0].summary).toBe(`Attestation de présence ${reference} téléchargée (atelier « ${TITLE} »)`);
    expect(entries[0].summary).not.toContain('Bruno');
    expect(entries[0].subjectType).toBe('booking');
    expect(entries[0].actionLabel).toBe('Attestation de présence téléchargée');
    // The holder's own downloads are not staff actions.
    const holder = (await api.get('/api/admin/journal?action=attestation.downloaded', admin)).body.entries.filter(
      (entry: { subjectId: string | null }) => entry.subjectId === people.zoe.id,
    );
    expect(holder).toHaveLength(1); // the advisor's download in the byte-identity test
  });

  it('offers the link on the manage page only when the certificate is available', async () => {
    // Handlebars writes `=` as `&#x3D;` in attributes, as a browser reads it.
    const page = async (who: string) =>
      (await api.request('GET', `/reservations/${people[who].id}?token=${people[who].token}`, { headers: { accept: 'text/html' } })).text.replace(
        /&#x3D;/g,
        '=',
      );
    const zoe = await page('zoe');
    expect(zoe).toContain('Télécharger mon attestation de présence (PDF)');
    expect(zoe).toContain(`href="/reservations/${people.zoe.id}/attestation.pdf?token=${people.zoe.token}"`);
    const unmarked = await page('unmarked');
    expect(unmarked).not.toContain('Télécharger mon attestation');
    expect(unmarked).toContain('dès que l’équipe aura noté votre présence');
    for (const who of ['absent', 'cancelled', 'waiting', 'permanence']) {
      const text = await page(who);
      expect(text).not.toContain('Attestation de présence');
    }
  });
});
