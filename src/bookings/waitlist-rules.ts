/** A workshop's seats as its row counts them. */
export interface Seats {
  capacity: number;
  confirmed: number;
  waitlisted: number;
}

/** How many people at the head of the waitlist take a seat now: as many as there are free seats. */
export function seatsToPromote(seats: Seats): number {
  return Math.max(0, Math.min(seats.capacity - seats.confirmed, seats.waitlisted));
}

/** The seats once `promote` people moved from the waitlist to confirmed. */
function promoted(seats: Seats): { seats: Seats; promote: number } {
  const promote = seatsToPromote(seats);
  return { seats: { ...seats, confirmed: seats.confirmed + promote, waitlisted: seats.waitlisted - promote }, promote };
}

/** A confirmed attendee leaving frees a seat for the first waiting; a waiting one leaving frees a place in line. */
export function afterLeaving(seats: Seats, leaving: 'confirmed' | 'waitlisted'): { seats: Seats; promote: number } {
  if (leaving === 'waitlisted') return { seats: { ...seats, waitlisted: seats.waitlisted - 1 }, promote: 0 };
  return promoted({ ...seats, confirmed: seats.confirmed - 1 });
}

/** A new capacity: raising it promotes as many as now fit; lowering it below the confirmed is refused (null). */
export function afterCapacityChange(seats: Seats, capacity: number): { seats: Seats; promote: number } | null {
  if (capacity < seats.confirmed) return null;
  return promoted({ ...seats, capacity });
}
