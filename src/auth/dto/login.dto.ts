import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'admin@cress.example' })
  @IsEmail({}, { message: 'Adresse e-mail invalide.' })
  @MaxLength(254, { message: 'Adresse e-mail trop longue.' })
  email: string;

  @ApiProperty()
  @IsString({ message: 'Le mot de passe doit être une chaîne.' })
  @MinLength(1, { message: 'Le mot de passe est requis.' })
  @MaxLength(1024, { message: 'Mot de passe trop long.' })
  password: string;
}
