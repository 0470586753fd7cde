import { client } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

describe('service basics', () => {
  let app: TestApp;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    app = await startTestApp();
    api = client(app.baseUrl);
  });

  afterAll(() => app.close());

  it('answers /health once the database answers', async () => {
    const response = await api.get('/health');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('serves the OpenAPI document at /api/docs', async () => {
    const page = await api.get('/api/docs');
    expect(page.status).toBe(200);
    expect(page.text).toContain('swagger');
    const document = await api.get('/api/docs/openapi.json');
    expect(document.status).toBe(200);
    expect(Object.keys(document.body.paths)).toEqual(expect.arrayContaining(['/api/permanences', '/api/bookings', '/api/auth/login']));
  });

  it('answers an unknown route with a problem+json 404', async () => {
    const response = await api.get('/api/nothing-here');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 404, code: 'route_not_found' });
  });
});
