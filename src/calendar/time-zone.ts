/** The programme's time zone: its permanences, workshops, days and reports are in Paris wall time. */
export const PROGRAMME_TIME_ZONE = 'Europe/Paris';
