import { dropDatabase, EMBEDDED, TEMPLATE_ENV } from './databases';

export default async function globalTeardown(): Promise<void> {
  if (EMBEDDED) return;
  const template = process.env[TEMPLATE_ENV];
  if (template) await dropDatabase(template);
}
