import { startTestApp, TestApp } from './support/test-app';

describe('CORS and security headers', () => {
  let closed: TestApp;
  let open: TestApp;

  beforeAll(async () => {
    closed = await startTestApp();
    open = await startTestApp({ env: { CORS_ORIGINS: 'https://partenaire.example' }, sameDatabaseAs: closed });
  });

  afterAll(async () => {
    await open?.close();
    await closed?.close();
  });

  const preflight = (app: TestApp, origin: string) =>
    fetch(`${app.baseUrl}/api/bookings`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });

  it('allows no other site to call the API from a browser by default', async () => {
    const response = await preflight(closed, 'https://evil.example');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    const get = await fetch(`${closed.baseUrl}/api/permanences`, { headers: { origin: 'https://evil.example' } });
    expect(get.status).toBe(200);
    expect(get.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('allows exactly the origins of CORS_ORIGINS, without credentials', async () => {
    const allowed = await preflight(open, 'https://partenaire.example');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://partenaire.example');
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
    const other = await preflight(open, 'https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('sends helmet’s headers on API answers too, and no X-Powered-By', async () => {
    const response = await fetch(`${closed.baseUrl}/api/permanences`);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('x-powered-by')).toBeNull();
    // Plain http (no TLS in front): no HSTS, no upgrade of the page's requests.
    expect(response.headers.get('strict-transport-security')).toBeNull();
    expect(response.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
  });
});
