import { initializeDataSource, dataSourceOptions } from '../../src/database/data-source';
import { EMBEDDED, TEMPLATE_ENV, uniqueDatabaseName, urlFor, withAdminClient } from './databases';

/** Creates one migrated template database per run; each test file copies it (see createTestDatabase). */
export default async function globalSetup(): Promise<void> {
  if (EMBEDDED) return;
  const template = uniqueDatabaseName('rvess_template');
  try {
    await withAdminClient((client) => client.query(`CREATE DATABASE ${template}`));
  } catch (error) {
    throw new Error(`Cannot reach the test PostgreSQL server (TEST_DATABASE_URL): ${(error as Error).message}`, { cause: error });
  }
  const dataSource = await initializeDataSource(dataSourceOptions({ url: urlFor(template), poolSize: 2 }));
  await dataSource.destroy();
  process.env[TEMPLATE_ENV] = template;
}
