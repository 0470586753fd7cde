import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { SatisfactionLinks } from '../src/satisfaction/satisfaction-links';
import { adminToken, bookingRequest, createWorkshop, firstOpenSession, registrationRequest } from './support/factories';
import { client, Client, HttpResponse } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

// The document is JSON whose shape the test inspects key by key.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Schema = Record<string, any>;
interface Operation {
  parameters?: unknown[];
  requestBody?: unknown;
  security?: unknown[];
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const FILE_TYPES = ['text/calendar', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'];
/** Every file a route may answer with: the calendar and spreadsheets, and the printable sign-in sheets. */
const ANSWERED_FILE_TYPES = [...FILE_TYPES, 'application/pdf'];

/**
 * OpenAPI 3.0's `nullable` as JSON Schema, and every documented object closed: a property the
 * service adds without documenting it fails the check as surely as a documented one it drops.
 */
function toJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  const { nullable, example: _example, discriminator: _discriminator, ...rest } = schema as Schema;
  const converted: Schema = Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, key === 'enum' ? value : toJsonSchema(value)]));
  if (converted.properties) converted.additionalProperties = false;
  return nullable ? { anyOf: [converted, { type: 'null' }] } : converted;
}

describe('OpenAPI document', () => {
  let app: TestApp;
  let api: Client;
  let admin: string;
  let document: OpenApiDocument;
  let ajv: Ajv;

  beforeAll(async () => {
    app = await startTestApp({ now: '2026-11-27T10:00:00Z' });
    api = client(app.baseUrl);
    admin = await adminToken(api);
    const answer = await api.get<OpenApiDocument>('/api/docs/openapi.json');
    expect(answer.status).toBe(200);
    document = answer.body;
    ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    ajv.addSchema({ components: toJsonSchema(document.components) }, 'openapi');
  });
  afterAll(() => app.close());

  const apiOperations = () =>
    Object.entries(document.paths)
      .filter(([path]) => path.startsWith('/api/'))
      .flatMap(([path, item]) =>
        METHODS.filter((method) => item[method]).map((method) => ({ name: `${method.toUpperCase()} ${path}`, operation: item[method] })),
      );

  /** A schema after its `$ref`, if it is one. */
  const resolved = (schema: Schema): Schema => (schema.$ref ? document.components.schemas[schema.$ref.replace('#/components/schemas/', '')] : schema);

  /** The schema the document gives for a route's answer of `status` in `contentType`. */
  function documented(method: string, path: string, status: number, contentType = 'application/json'): Schema {
    const schema = document.paths[path]?.[method]?.responses[String(status)]?.content?.[contentType]?.schema;
    if (!schema) throw new Error(`${method.toUpperCase()} ${path} documents no ${status} ${contentType} answer`);
    return schema;
  }

  /** Checks a real answer against what the document says the route answers. */
  function expectDocumented(method: string, path: string, response: HttpResponse, contentType = 'application/json') {
    const schema = documented(method, path, response.status, contentType);
    expect(response.headers.get('content-type')).toContain(contentType);
    const validate: ValidateFunction = ajv.compile(
      toJsonSchema(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi#/components/'))) as Schema,
    );
    const valid = validate(response.body);
    expect(valid ? [] : validate.errors).toEqual([]);
  }

  it('gives every operation under /api a success answer with a schema, or the content type of its file', () => {
    const operations = apiOperations();
    expect(operations.length).toBeGreaterThan(30);
    const undocumented = operations.flatMap(({ name, operation }) => {
      const success = Object.entries(operation.responses).filter(([status]) => /^2\d\d$/.test(status));
      const contents = success.flatMap(([, response]) => Object.entries(response.content ?? {}));
      const described = contents.some(([type, { schema }]) => {
        if (ANSWERED_FILE_TYPES.includes(type)) return schema?.type === 'string';
        if (!schema) return false;
        const shape = resolved(schema.type === 'array' ? schema.items : schema);
        return type === 'application/json' && Object.keys(shape?.properties ?? {}).length > 0;
      });
      return described ? [] : [name];
    });
    expect(undocumented).toEqual([]);
  });

  it('documents the file answers with their content types', () => {
    expect(Object.keys(document.paths['/api/bookings/{id}/invite.ics'].get.responses['200'].content ?? {})).toEqual(['text/calendar']);
    expect(Object.keys(document.paths['/api/reports/attendance'].get.responses['200'].content ?? {}).sort()).toEqual(
      ['application/json', ...FILE_TYPES.slice(1)].sort(),
    );
    expect(Object.keys(document.paths['/api/reports/bilan'].get.responses['200'].content ?? {}).sort()).toEqual(
      ['application/json', 'application/pdf', FILE_TYPES[2]].sort(),
    );
  });

  it('documents the problem+json answers of every operation with one Problem schema', () => {
    const problem = document.components.schemas.ProblemDto;
    expect(Object.keys(problem.properties).sort()).toEqual(['code', 'detail', 'errors', 'status', 'title', 'type']);
    expect([...problem.required].sort()).toEqual(['code', 'detail', 'status', 'title', 'type']);
    expect(Object.keys(resolved(problem.properties.errors.items).properties).sort()).toEqual(['choices', 'field', 'message']);
    const withoutProblems = apiOperations().flatMap(({ name, operation }) => {
      const errors = Object.entries(operation.responses).filter(([status]) => /^4\d\d$/.test(status));
      const allProblems = errors.every(([, response]) => response.content?.['application/problem+json']?.schema?.$ref === '#/components/schemas/ProblemDto');
      // A route that takes nothing and needs no credentials (the booking options) has no error to tell.
      const takesInput = (operation.parameters?.length ?? 0) > 0 || operation.requestBody !== undefined || (operation.security?.length ?? 0) > 0;
      return allProblems && (errors.length > 0 || !takesInput) ? [] : [name];
    });
    expect(withoutProblems).toEqual([]);
    expect(Object.keys(document.paths['/api/bookings'].post.responses)).toEqual(expect.arrayContaining(['400', '404', '409', '422']));
  });

  it('documents the booking creation answer with its manage token, given once', () => {
    const created = resolved(documented('post', '/api/bookings', 201));
    expect(Object.keys(created.properties)).toEqual(
      expect.arrayContaining(['id', 'status', 'waitlistPosition', 'startsAt', 'endsAt', 'manageToken', 'manageUrl']),
    );
    expect(created.required).toEqual(expect.arrayContaining(['id', 'status', 'startsAt', 'endsAt', 'manageToken', 'manageUrl']));
    expect(created.required).not.toContain('waitlistPosition');
    const read = resolved(documented('get', '/api/bookings/{id}', 200));
    expect(Object.keys(read.properties)).not.toContain('manageToken');
  });

  it('matches what the routes really answer: a booking, a waitlisted registration, the listings, the agenda, a problem', async () => {
    const session = await firstOpenSession(api);
    const booked = await api.post('/api/bookings', bookingRequest(session.slots[0].id));
    expect(booked.status).toBe(201);
    expectDocumented('post', '/api/bookings', booked);
    expectDocumented('get', '/api/bookings/{id}', await api.get(`/api/bookings/${booked.body.id}?token=${booked.body.manageToken}`));

    const workshop = await createWorkshop(api, admin, { capacity: 1 });
    await api.post('/api/bookings', registrationRequest(workshop.id));
    const waitlisted = await api.post('/api/bookings', registrationRequest(workshop.id));
    expect([waitlisted.status, waitlisted.body.waitlistPosition]).toEqual([201, 1]);
    expectDocumented('post', '/api/bookings', waitlisted);
    expectDocumented('get', '/api/workshops/{id}/registrations', await api.get(`/api/workshops/${workshop.id}/registrations`, admin));

    expectDocumented('get', '/api/permanences', await api.get('/api/permanences'));
    expectDocumented('get', '/api/agenda', await api.get(`/api/agenda?date=${session.date}`, admin));
    expectDocumented('get', '/api/reports/bilan', await api.get('/api/reports/bilan', admin));
    const organisations = await api.get('/api/organisations', admin);
    expectDocumented('get', '/api/organisations', organisations);
    expectDocumented('get', '/api/organisations/{id}', await api.get(`/api/organisations/${organisations.body[0].id}`, admin));

    const refused = await api.post('/api/bookings', { ...bookingRequest(session.slots[0].id), attendee: { name: '', email: 'nope' } });
    expect(refused.status).toBe(400);
    expectDocumented('post', '/api/bookings', refused, 'application/problem+json');
  });

  it('matches what the satisfaction routes and the personal-data export really answer', async () => {
    const session = await firstOpenSession(api);
    const booked = await api.post('/api/bookings', bookingRequest(session.slots[1].id, { attendee: { name: 'Léa Martin', email: 'lea@asso.test' } }));
    // As if the question had been e-mailed: the links are the e-mail's.
    await app.dataSource.query(`UPDATE bookings SET satisfaction_requested_at = $2 WHERE id = $1`, [booked.body.id, new Date('2026-11-27T10:00:00Z')]);
    const links = app.app.get(SatisfactionLinks);
    const path = `/api/satisfaction/${booked.body.id}`;

    expectDocumented('get', '/api/satisfaction/{id}', await api.get(`${path}?token=${links.answerToken(booked.body.id, 0)}`));
    const answered = await api.post(path, { token: links.answerToken(booked.body.id, 0), score: 4, comment: 'Merci.' });
    expect(answered.status).toBe(200);
    expectDocumented('post', '/api/satisfaction/{id}', answered);
    const replayed = await api.post(path, { token: links.answerToken(booked.body.id, 0), score: 4 });
    expect(replayed.status).toBe(410);
    expectDocumented('post', '/api/satisfaction/{id}', replayed, 'application/problem+json');
    expectDocumented('post', '/api/satisfaction/{id}/opt-out', await api.post(`${path}/opt-out`, { token: links.optOutToken(booked.body.id) }));
    expectDocumented('get', '/api/personal-data', await api.get('/api/personal-data?email=lea@asso.test', admin));
  });

  it('matches what the follow-up routes really answer, and the agenda, the organisation and the personal data that show a follow-up', async () => {
    const session = await firstOpenSession(api);
    const booked = await api.post('/api/bookings', bookingRequest(session.slots[2].id, { attendee: { name: 'Suivi OpenAPI', email: 'suivi@openapi.test' } }));
    expect(booked.status).toBe(201);
    app.clock.set(session.slots[2].startsAt);
    admin = await adminToken(api);
    expect((await api.put(`/api/bookings/${booked.body.id}/attendance`, { status: 'present' }, admin)).status).toBe(200);
    expectDocumented('get', '/api/orientations', await api.get('/api/orientations', admin));
    const saved = await api.put(`/api/bookings/${booked.body.id}/follow-up`, { note: 'Note', orientations: ['dla'], followUpOn: '2027-01-15' }, admin);
    expect(saved.status).toBe(200);
    expectDocumented('put', '/api/bookings/{id}/follow-up', saved);
    expectDocumented('get', '/api/bookings/{id}/follow-up', await api.get(`/api/bookings/${booked.body.id}/follow-up`, admin));
    expectDocumented('put', '/api/bookings/{id}/follow-up/done', await api.put(`/api/bookings/${booked.body.id}/follow-up/done`, { done: true }, admin));
    const due = await api.get('/api/agenda?date=2027-01-15', admin);
    expect(due.body.followUpsDue).toHaveLength(1);
    expectDocumented('get', '/api/agenda', due);
    const day = await api.get(`/api/agenda?date=${session.date}`, admin);
    expect(
      day.body.items.flatMap((item: { bookings: Array<{ followUp: unknown }> }) => item.bookings).some((booking: { followUp: unknown }) => booking.followUp),
    ).toBe(true);
    expectDocumented('get', '/api/agenda', day);
    const [{ id }] = await app.dataSource.query(`SELECT organisation_id AS id FROM bookings WHERE id = $1`, [booked.body.id]);
    expectDocumented('get', '/api/organisations/{id}', await api.get(`/api/organisations/${id}`, admin));
    expectDocumented('get', '/api/personal-data', await api.get('/api/personal-data?email=suivi@openapi.test', admin));
    const refused = await api.put(`/api/bookings/${booked.body.id}/follow-up`, { orientations: ['inconnue'] }, admin);
    expectDocumented('put', '/api/bookings/{id}/follow-up', refused, 'application/problem+json');
  });
});
