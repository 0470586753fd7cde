import { ValidationOptions, registerDecorator } from 'class-validator';
import { isLocalDate, isWallTime } from '../calendar';

/** A real calendar date written `YYYY-MM-DD`. */
export function IsLocalDate(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isLocalDate',
      target: target.constructor,
      propertyName,
      options: { message: 'Date attendue au format AAAA-MM-JJ.', ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && isLocalDate(value) },
    });
}

/** A wall-clock time written `HH:mm`. */
export function IsWallTime(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isWallTime',
      target: target.constructor,
      propertyName,
      options: { message: 'Heure attendue au format HH:MM.', ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && isWallTime(value) },
    });
}
