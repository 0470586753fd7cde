import { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import { isUtf8 } from 'node:buffer';
import { answerInFront, FrontMiddleware } from './common/http-front';
import { RequestLoad } from './common/request-load';
import { findTemplatesDir } from './common/templates-dir';
import { validationPipe } from './common/validation';
import { AppConfig } from './config/app-config';
import { FeedsService } from './feeds/feeds.service';
import { sendCalendar } from './ical/calendar-response';

/** Body limit for JSON requests: a booking is well under 8 KiB. */
export const JSON_BODY_LIMIT = '64kb';

/**
 * A body declared UTF-8 (the default) whose bytes are not: body-parser would decode each bad byte to
 * U+FFFD and the booking would be stored altered. Refused as a 400 instead (see fromBodyParserError).
 */
function utf8Only(_request: unknown, _response: unknown, body: Buffer, encoding: string | null): void {
  if (/^utf-?8$/i.test(encoding ?? 'utf-8') && !isUtf8(body)) {
    throw Object.assign(new Error('The request body is not valid UTF-8'), { status: 400, type: 'encoding.invalid' });
  }
}

/** Everything main.ts and the tests share about how the HTTP application behaves. */
export function configureHttpApp(app: NestExpressApplication): INestApplication {
  app.disable('x-powered-by');
  // Express would hash every JSON answer for a weak ETag nobody revalidates; responses that need
  // one (calendar feeds) compute their own.
  app.set('etag', false);
  app.set('trust proxy', 'loopback');
  const https = app.get(AppConfig).publicUrl.startsWith('https://');
  const securityHeaders = (styleSrc: string[]) =>
    helmet({
      contentSecurityPolicy: {
        directives: {
          // Pages load only their own stylesheet and script; nothing inline, nothing from elsewhere.
          'script-src': ["'self'"],
          'style-src': styleSrc,
          'img-src': ["'self'", 'data:'],
          // Behind plain http (a local try-out) browsers must not be told to switch to https.
          'upgrade-insecure-requests': https ? [] : null,
        },
      },
      strictTransportSecurity: https,
      referrerPolicy: { policy: 'no-referrer' },
    });
  // What every answer goes through first, including those answered in front of Express (below).
  const front: FrontMiddleware[] = [app.get(RequestLoad).middleware, securityHeaders(["'self'"])];
  for (const middleware of front) app.use(middleware);
  // Swagger UI styles itself inline; its scripts are still files.
  app.use('/api/docs', securityHeaders(["'self'", "'unsafe-inline'"]));
  // CORS stays closed unless CORS_ORIGINS names the sites allowed to call the API from a browser.
  const { corsOrigins } = app.get(AppConfig);
  if (corsOrigins.length > 0) app.enableCors({ origin: corsOrigins, credentials: false, maxAge: 600 });
  app.use(cookieParser());
  app.useStaticAssets(findTemplatesDir(__dirname, 'assets', 'app.css'), { prefix: '/assets/', maxAge: '1h', index: false });
  // Nest's option types leave `verify` out (it sets its own for `rawBody`, which this app does not
  // use); body-parser receives it as it is.
  const utf8Check = { verify: utf8Only } as object;
  app.useBodyParser('json', { limit: JSON_BODY_LIMIT, strict: true, ...utf8Check });
  app.useBodyParser('urlencoded', { limit: JSON_BODY_LIMIT, extended: false, ...utf8Check });
  app.useGlobalPipes(validationPipe());
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Rendez-vous ESS')
      .setDescription('Booking the CRESS permanence (the last Thursday of every month) and the statute workshops.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/openapi.json' });
  // Calendar apps poll the public feed, mostly for a 304: answered ahead of Express's routing. The
  // Nest route stays for everything else (other spellings, CORS, errors) and for the documentation.
  const feeds = app.get(FeedsService);
  answerInFront(app.getHttpServer(), front, [
    { path: '/calendar/public.ics', answer: async (request, response) => sendCalendar(request, response, await feeds.publicFeed()) },
  ]);
  return app;
}
