import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { MaskingLogger } from './common/mask';
import { AppConfig, ConfigError, loadConfig } from './config/app-config';
import { configureHttpApp } from './http-app';

async function bootstrap(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forConfig(config), {
    bodyParser: false,
    logger: new MaskingLogger({ logLevels: levelsFrom(config.logLevel) }),
  });
  configureHttpApp(app);
  await app.listen(config.port);
  new Logger('Rendez-vous ESS').log(`Listening on ${config.publicUrl} (API documentation: ${config.publicUrl}/api/docs)`);
}

function levelsFrom(level: AppConfig['logLevel']) {
  const all = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
  return all.slice(0, all.indexOf(level) + 1);
}

void bootstrap();
