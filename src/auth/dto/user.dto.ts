import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { Role, ROLES } from '../user.entity';

const NAME = { message: 'Le nom doit faire de 1 à 200 caractères.' };
/** Names the API's values and what they mean on the pages. */
const ROLE_MESSAGE = 'Choisissez un rôle : administration (admin), conseil (advisor) ou consultation (viewer).';
const PASSWORD = { message: 'Le mot de passe doit faire de 12 à 1024 caractères.' };

export class CreateUserDto {
  @ApiProperty()
  @IsEmail({}, { message: 'Adresse e-mail invalide.' })
  @MaxLength(254, { message: 'Adresse e-mail trop longue.' })
  email: string;

  @ApiProperty()
  @IsString(NAME)
  @MinLength(1, NAME)
  @MaxLength(200, NAME)
  name: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES, { message: ROLE_MESSAGE })
  role: Role;

  @ApiPropertyOptional({ minLength: 12, description: 'left out, the person receives an e-mail to choose their own password (72 hours)' })
  @IsOptional()
  @IsString(PASSWORD)
  @MinLength(12, PASSWORD)
  @MaxLength(1024, PASSWORD)
  password?: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString(NAME)
  @MinLength(1, NAME)
  @MaxLength(200, NAME)
  name?: string;

  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES, { message: ROLE_MESSAGE })
  role?: Role;

  @ApiPropertyOptional({ description: 'false deactivates the account and revokes its access at once' })
  @IsOptional()
  @IsBoolean({ message: 'active doit valoir true ou false.' })
  active?: boolean;

  @ApiPropertyOptional({ minLength: 12 })
  @IsOptional()
  @IsString(PASSWORD)
  @MinLength(12, PASSWORD)
  @MaxLength(1024, PASSWORD)
  password?: string;
}
