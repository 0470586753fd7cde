import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { Role, ROLES } from '../../auth/user.entity';

const NAME = { message: 'Indiquez un nom (200 caractères au plus).' };
const NEW_PASSWORD = { message: 'Le mot de passe doit faire de 12 à 1024 caractères.' };
const EMAIL = { message: 'Indiquez une adresse e-mail valide, par exemple prenom.nom@exemple.fr.' };

/** The first admin, from the setup page. */
export class SetupDto {
  @ApiProperty()
  @IsString(NAME)
  @MinLength(1, NAME)
  @MaxLength(200, NAME)
  name: string;

  @ApiProperty()
  @IsEmail({}, EMAIL)
  @MaxLength(254, EMAIL)
  email: string;

  @ApiProperty({ minLength: 12 })
  @IsString(NEW_PASSWORD)
  @MinLength(12, NEW_PASSWORD)
  @MaxLength(1024, NEW_PASSWORD)
  password: string;
}

/** A staff member changes their own password. */
export class ChangePasswordDto {
  @ApiProperty()
  @IsString({ message: 'Indiquez votre mot de passe actuel.' })
  @MinLength(1, { message: 'Indiquez votre mot de passe actuel.' })
  @MaxLength(1024, { message: 'Mot de passe trop long.' })
  currentPassword: string;

  @ApiProperty({ minLength: 12 })
  @IsString(NEW_PASSWORD)
  @MinLength(12, NEW_PASSWORD)
  @MaxLength(1024, NEW_PASSWORD)
  newPassword: string;
}

export class PasswordResetRequestDto {
  @ApiProperty()
  @IsEmail({}, EMAIL)
  @MaxLength(254, EMAIL)
  email: string;
}

/** The password chosen through a one-time link (an invitation or a forgotten password). */
export class PasswordResetConfirmDto {
  @ApiProperty({ description: 'the `jeton` of the link received by e-mail' })
  @IsString({ message: 'Le lien est incomplet.' })
  @MinLength(1, { message: 'Le lien est incomplet.' })
  @MaxLength(200, { message: 'Le lien est incomplet.' })
  token: string;

  @ApiProperty({ minLength: 12 })
  @IsString(NEW_PASSWORD)
  @MinLength(12, NEW_PASSWORD)
  @MaxLength(1024, NEW_PASSWORD)
  password: string;
}

/** An account's role or state, as the admin changes them from the pages. */
export class RoleDto {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES, { message: 'Choisissez un rôle : administration, conseil ou consultation.' })
  role: Role;
}

export class PasswordResetAnswerDto {
  @ApiProperty({ description: 'the same whether or not the address has an account' })
  message: string;
}
