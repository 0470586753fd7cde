/**
 * A parsed JSON answer, untyped as supertest's `body` is: the tests read answers of every shape
 * (see the test/ section of eslint.config.mjs).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonBody = any;

/** A small HTTP client over fetch: real requests to the service's port, nothing faked. */
export interface HttpResponse<T = JsonBody> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export function client(baseUrl: string) {
  async function request<T = JsonBody>(
    method: string,
    path: string,
    options: { body?: unknown; raw?: string; token?: string; headers?: Record<string, string> } = {},
  ): Promise<HttpResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined = options.raw;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    } else if (options.raw !== undefined) {
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, body: parsed as T, text };
  }
  return {
    request,
    get: <T = JsonBody>(path: string, token?: string) => request<T>('GET', path, { token }),
    post: <T = JsonBody>(path: string, body?: unknown, token?: string) => request<T>('POST', path, { body: body ?? {}, token }),
    put: <T = JsonBody>(path: string, body?: unknown, token?: string) => request<T>('PUT', path, { body: body ?? {}, token }),
    patch: <T = JsonBody>(path: string, body?: unknown, token?: string) => request<T>('PATCH', path, { body: body ?? {}, token }),
  };
}

export type Client = ReturnType<typeof client>;
