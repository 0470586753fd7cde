import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';

/** A connect-style middleware that finishes at once (helmet, the request counter). */
export type FrontMiddleware = (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void;

export interface FrontRoute {
  /** The exact path (a query string is allowed and ignored). */
  path: string;
  /** Answers the request; rejects, before writing anything, to leave the request to the application. */
  answer(request: IncomingMessage, response: ServerResponse): Promise<void>;
}

/**
 * Answers a few hot read-only routes (GET and HEAD) straight on the Node HTTP server, in front of
 * Express: calendar apps poll the public feed, and Express's own routing and middleware stack cost
 * several times the work of a 304 (a bare Node server answers about three times as many requests a
 * second here). The routes still go through `middleware` — the same instances the application uses,
 * so the answers carry the same security headers — and anything else about them stays with the
 * application: another method, a path that differs in any way, a cross-origin request (CORS is the
 * application's), a middleware that does not pass at once, or an answer that fails (the application
 * then answers as usual, e.g. 503 when the database is away).
 */
export function answerInFront(server: Server, middleware: FrontMiddleware[], routes: FrontRoute[]): void {
  const [application, ...others] = server.listeners('request') as RequestListener[];
  if (!application || others.length > 0) throw new Error('answerInFront expects the application as the server’s one request listener');
  const byPath = new Map(routes.map((route) => [route.path, route]));
  server.removeListener('request', application);
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const route = frontRoute(request, byPath);
    if (!route || !passes(middleware, request, response)) {
      application(request, response);
      return;
    }
    route.answer(request, response).catch(() => {
      if (response.headersSent) response.destroy();
      else application(request, response);
    });
  });
}

function frontRoute(request: IncomingMessage, byPath: Map<string, FrontRoute>): FrontRoute | undefined {
  if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
  if (request.headers.origin !== undefined) return undefined;
  const url = request.url ?? '';
  const query = url.indexOf('?');
  return byPath.get(query === -1 ? url : url.slice(0, query));
}

/** Runs the middleware in order; false as soon as one fails or does not call `next` at once. */
function passes(middleware: FrontMiddleware[], request: IncomingMessage, response: ServerResponse): boolean {
  for (const run of middleware) {
    let passed = false;
    run(request, response, (error?: unknown) => {
      passed = error === undefined;
    });
    if (!passed) return false;
  }
  return true;
}
