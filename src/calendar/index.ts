export { CalendarError } from './calendar-error';
export * from './local-date';
export * from './recurrence';
export * from './holidays';
export * from './holiday-policy';
export * from './slots';
export * from './time-zone';
export * from './local-input';
export * from './working-days';
