import { Role } from './user.entity';

/** The authenticated staff member of a request, as the guards leave it on `request.staff`. */
export interface StaffUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export interface AccessTokenClaims {
  sub: string;
  role: Role;
  ver: number;
}

/**
 * Whether a staff member may see who the attendees are (names, e-mails, phones). The metropolis'
 * viewer gets figures and organisations only: the booking forms and the privacy notice promise it
 * anonymous figures.
 */
export function seesAttendees(staff: Pick<StaffUser, 'role'>): boolean {
  return staff.role !== 'viewer';
}
