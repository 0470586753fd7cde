import type { StaffUser } from '../auth/staff-user';
import type { JournalEntry } from '../journal/journal.service';

/** The journal's entry for a booking cancelled by the team (never the attendee's name or address: the entry outlives them). */
export function staffCancellation(staff: StaffUser, bookingId: string, kind: 'permanence' | 'atelier', reason: string | null): JournalEntry {
  return {
    actor: staff,
    action: 'booking.cancelled',
    subject: { type: 'booking', id: bookingId },
    summary: `${kind === 'permanence' ? 'Rendez-vous de permanence' : 'Inscription à un atelier'} annulé${kind === 'permanence' ? '' : 'e'} par l’équipe${reason ? ` : ${reason}` : ''}`,
    details: { reason },
  };
}
