import { applyDecorators, CanActivate, createParamDecorator, ExecutionContext, Injectable, SetMetadata, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiBearerAuth } from '@nestjs/swagger';
import type { Request } from 'express';
import { DomainError } from '../common/domain-error';
import { ApiProblems } from '../common/problem.dto';
import { AuthService } from './auth.service';
import { StaffUser } from './staff-user';
import { Role } from './user.entity';

const ROLES_KEY = 'staff:roles';
const OPTIONAL_KEY = 'staff:optional';

type StaffRequest = Request & { staff?: StaffUser };

/** The credential of an `Authorization: Bearer …` header, if any. */
export function bearerToken(request: Request): string | null {
  return /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? null;
}

/** The bearer credential of a request, when it looks like a JWT (manage tokens have no dots). */
export function bearerJwt(request: Request): string | null {
  const token = bearerToken(request);
  return token && token.split('.').length === 3 ? token : null;
}

@Injectable()
export class StaffGuard implements CanActivate {
  constructor(
    private readonly auth: AuthService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<StaffRequest>();
    const optional = this.reflector.get<boolean>(OPTIONAL_KEY, context.getHandler()) ?? false;
    const roles = this.reflector.get<Role[]>(ROLES_KEY, context.getHandler()) ?? [];
    const token = bearerJwt(request);
    if (!token) {
      if (optional) return true;
      throw new DomainError('unauthenticated', 'Connexion requise.');
    }
    const staff = await this.auth.authenticate(token);
    if (roles.length > 0 && !roles.includes(staff.role)) {
      throw new DomainError('forbidden', 'Votre rôle ne permet pas cette action.');
    }
    request.staff = staff;
    return true;
  }
}

/** Only signed-in staff with one of `roles` (any role when none is named). */
export const Staff = (...roles: Role[]) => applyDecorators(SetMetadata(ROLES_KEY, roles), UseGuards(StaffGuard), ApiBearerAuth(), ApiProblems(401, 403));

/** Staff credentials are read when present (and must then be valid), but not required. */
export const OptionalStaff = (...roles: Role[]) =>
  applyDecorators(SetMetadata(ROLES_KEY, roles), SetMetadata(OPTIONAL_KEY, true), UseGuards(StaffGuard), ApiBearerAuth());

export const CurrentStaff = createParamDecorator(
  (_: unknown, context: ExecutionContext): StaffUser | null => context.switchToHttp().getRequest<StaffRequest>().staff ?? null,
);
