import type { Response } from 'express';
import { DomainError } from '../common/domain-error';
import { errorsByField, validated } from './forms';

/** A period as the report and bilan pages take it: `du`/`au` in the address, local dates. */
export type Period = { du?: unknown; au?: unknown };

/** A generated file (CSV, XLSX, PDF) as the services give it. */
export interface PeriodFile {
  contentType: string;
  filename: string;
  content: Buffer;
}

/** The page's inputs (`du`, `au`) and the API's fields (`from`, `to`). */
const FIELD_OF: Record<string, string> = { from: 'du', to: 'au' };

/** `du`/`au` as the DTO's `from`/`to`; an empty input means the service's default. */
export function periodInput(period: Period): { from?: unknown; to?: unknown } {
  const input: { from?: unknown; to?: unknown } = {};
  if (period.du !== undefined && period.du !== '') input.from = period.du;
  if (period.au !== undefined && period.au !== '') input.to = period.au;
  return input;
}

export function isPeriodError(error: DomainError): boolean {
  return error.code === 'validation_failed' || error.code === 'range_too_large';
}

/** The errors next to the page's inputs, in the page's words. */
export function periodErrors(error: DomainError): Record<string, string> {
  if (error.code === 'range_too_large') return { au: error.detail };
  const errors: Record<string, string> = {};
  for (const [field, message] of Object.entries(errorsByField(error))) {
    const input = FIELD_OF[field];
    if (!input) continue;
    // The API names the other bound by its parameter; the page by its label.
    errors[input] = message.replace(/\bfrom\b/, 'la date de début');
  }
  if (Object.keys(errors).length === 0) errors.du = error.detail;
  return errors;
}

/**
 * The file of the period, as the API sends it; a bad period goes back to its page (`pagePath`),
 * which explains it next to the inputs.
 */
export async function sendPeriodFile<Q extends object>(
  response: Response,
  period: Period,
  query: new () => Q,
  pagePath: string,
  make: (dto: Q) => Promise<PeriodFile>,
): Promise<void> {
  let file: PeriodFile;
  try {
    file = await make(await validated(query, periodInput(period)));
  } catch (error) {
    if (!(error instanceof DomainError) || !isPeriodError(error)) throw error;
    const back = new URLSearchParams();
    if (typeof period.du === 'string') back.set('du', period.du);
    if (typeof period.au === 'string') back.set('au', period.au);
    return response.redirect(303, `${pagePath}?${back}`);
  }
  response
    .status(200)
    .set({
      'Content-Type': file.contentType,
      'Content-Disposition': `attachment; filename="${file.filename}"`,
      'Content-Length': String(file.content.length),
    })
    .end(file.content);
}
