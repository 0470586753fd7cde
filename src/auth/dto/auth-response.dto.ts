import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const ROLES = ['admin', 'advisor', 'viewer'];

/** The signed-in staff member (GET /api/auth/me). */
export class StaffUserDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'email' })
  email: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ enum: ROLES })
  role: string;
}

export class LoginResponseDto {
  @ApiProperty({ description: 'send as `Authorization: Bearer <accessToken>`' })
  accessToken: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt: string;

  @ApiProperty({ type: () => StaffUserDto })
  user: StaffUserDto;
}

/** A staff account, as the admin manages it. */
export class UserResponseDto extends StaffUserDto {
  @ApiProperty({ description: 'an inactive account cannot sign in' })
  active: boolean;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiPropertyOptional({ description: 'in the list: invited, and has not chosen a password yet (POST /api/users/{id}/invitation sends the link again)' })
  invitationPending?: boolean;
}
