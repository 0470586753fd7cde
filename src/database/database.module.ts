import { PGlite } from '@electric-sql/pglite';
import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { DatabaseSnapshot } from '../common/database-snapshot';
import { dataSourceOptions, embeddedDirFor, initializeDataSource, openEmbedded } from './data-source';

export const EMBEDDED_DATABASE = Symbol('EMBEDDED_DATABASE');

/** The PGlite instance when DATABASE_URL is unset, else null; closed last, after TypeORM's pool. */
@Global()
@Module({
  providers: [
    {
      provide: EMBEDDED_DATABASE,
      inject: [AppConfig],
      useFactory: (config: AppConfig): PGlite | null => {
        if (config.databaseUrl) return null;
        const dir = config.embeddedDatabaseDir ?? embeddedDirFor(config.dataDir);
        new Logger('Database').log(`DATABASE_URL is not set: using the embedded database in ${dir}`);
        return openEmbedded(dir);
      },
    },
  ],
  exports: [EMBEDDED_DATABASE],
})
class EmbeddedDatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(EMBEDDED_DATABASE) private readonly pglite: PGlite | null) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.pglite && !this.pglite.closed) await this.pglite.close();
  }
}

/**
 * The TypeORM data source: PostgreSQL from DATABASE_URL, or the embedded database; migrated at start.
 * And whether anything was committed since (DatabaseSnapshot), for every module.
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      imports: [EmbeddedDatabaseModule],
      inject: [AppConfig, EMBEDDED_DATABASE],
      useFactory: (config: AppConfig, pglite: PGlite | null) => ({
        ...(pglite
          ? dataSourceOptions({ pglite })
          : dataSourceOptions({ url: config.databaseUrl!, poolSize: config.databasePoolSize, timeouts: config.databaseTimeouts })),
        retryAttempts: 2,
        retryDelay: 1000,
      }),
      // Migrations (and waiting for another instance's) may take longer than a request's bound.
      dataSourceFactory: async (options) =>
        'url' in options! && options.url ? initializeDataSource(options, dataSourceOptions({ url: options.url, poolSize: 2 })) : initializeDataSource(options!),
    }),
  ],
  providers: [DatabaseSnapshot],
  exports: [DatabaseSnapshot],
})
export class DatabaseModule {}
