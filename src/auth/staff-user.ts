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
