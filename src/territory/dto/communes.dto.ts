import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

export class CommunesQuery {
  @ApiProperty({ example: '42140', description: 'a French postcode (5 digits)' })
  @Matches(/^\d{5}$/, { message: 'Indiquez un code postal de 5 chiffres, par exemple 42140.' })
  postcode: string;
}

/** A commune a postcode serves, from Etalab's data. */
export class CommuneResponseDto {
  @ApiProperty({ example: '42059', description: 'INSEE code, the `organisation.communeCode` of POST /api/bookings' })
  code: string;

  @ApiProperty({ example: 'Chazelles-sur-Lyon' })
  name: string;

  @ApiProperty({ description: 'whether the commune belongs to the metropolis (its EPCI, METROPOLIS_EPCI_SIREN)' })
  inMetropolis: boolean;
}
