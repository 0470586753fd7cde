import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { bearerToken } from '../auth/staff.guard';
import type { StaffUser } from '../auth/staff-user';
import type { BookingAccess } from './bookings.service';

/**
 * The manage token (`Authorization: Bearer <token>` or `?token=`) and the signed-in staff member,
 * if any (set by the `OptionalStaff` guard, which reads JWT-shaped bearer credentials).
 */
export const Access = createParamDecorator((_: unknown, context: ExecutionContext): BookingAccess => {
  const request = context.switchToHttp().getRequest<Request & { staff?: StaffUser }>();
  const staff = request.staff ?? null;
  const bearer = bearerToken(request);
  const query = typeof request.query.token === 'string' ? request.query.token : null;
  const token = staff ? null : (query ?? bearer);
  // A token far longer than ours cannot match; it is not hashed, and fails like any wrong token.
  return { token: token !== null && token.length > 200 ? '' : token, staff };
});
