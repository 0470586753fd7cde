import { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { validationPipe } from './common/validation';

/** Body limit for JSON requests: a booking is well under 8 KiB. */
export const JSON_BODY_LIMIT = '64kb';

/** Everything main.ts and the tests share about how the HTTP application behaves. */
export function configureHttpApp(app: NestExpressApplication): INestApplication {
  app.disable('x-powered-by');
  // Express would hash every JSON answer for a weak ETag nobody revalidates; responses that need
  // one (calendar feeds) compute their own.
  app.set('etag', false);
  app.set('trust proxy', 'loopback');
  app.useBodyParser('json', { limit: JSON_BODY_LIMIT, strict: true });
  app.useBodyParser('urlencoded', { limit: JSON_BODY_LIMIT, extended: false });
  app.useGlobalPipes(validationPipe());
  app.enableShutdownHooks();
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
  return app;
}
