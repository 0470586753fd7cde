import { ParseUUIDPipe } from '@nestjs/common';
import { DomainError } from './domain-error';

/** Path identifiers must be UUIDs; anything else is a 400 naming the parameter, never a database error. */
export const uuidPipe = new ParseUUIDPipe({
  exceptionFactory: () => new DomainError('validation_failed', 'Identifiant invalide.', [{ field: 'id', message: 'Doit être un UUID.' }]),
});
