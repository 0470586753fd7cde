import { ConsoleLogger } from '@nestjs/common';

const EMAIL_IN_TEXT = /(?<![\p{L}\p{N}._%+-])([\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]*@([\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,})/gu;

/**
 * Text for the logs with every e-mail address masked (`c***@asso.fr`): an SMTP refusal or a
 * database error may quote one, and logs are kept longer and read more widely than the data.
 */
export function maskEmails(text: string): string {
  return text.replace(EMAIL_IN_TEXT, (_, first: string, domain: string) => `${first}***@${domain}`);
}

/** Nest's console logger with every e-mail address masked, whichever module logs it. */
export class MaskingLogger extends ConsoleLogger {
  override log(message: unknown, ...rest: unknown[]): void {
    super.log(mask(message), ...rest.map(mask));
  }

  override error(message: unknown, ...rest: unknown[]): void {
    super.error(mask(message), ...rest.map(mask));
  }

  override warn(message: unknown, ...rest: unknown[]): void {
    super.warn(mask(message), ...rest.map(mask));
  }

  override debug(message: unknown, ...rest: unknown[]): void {
    super.debug(mask(message), ...rest.map(mask));
  }

  override verbose(message: unknown, ...rest: unknown[]): void {
    super.verbose(mask(message), ...rest.map(mask));
  }

  override fatal(message: unknown, ...rest: unknown[]): void {
    super.fatal(mask(message), ...rest.map(mask));
  }
}

function mask(value: unknown): unknown {
  if (typeof value === 'string') return maskEmails(value);
  if (value instanceof Error) return maskEmails(value.stack ?? value.message);
  return value;
}
