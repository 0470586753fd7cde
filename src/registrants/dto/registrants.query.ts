import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';

export const LIST_FORMATS = ['csv', 'xlsx'] as const;
export type ListFormat = (typeof LIST_FORMATS)[number];

export class RegistrantListQuery {
  @ApiProperty({ enum: LIST_FORMATS })
  @IsIn(LIST_FORMATS, { message: `Format inconnu ; valeurs possibles : ${LIST_FORMATS.join(', ')}.` })
  format: ListFormat;
}

export const MAX_BLANK_LINES = 60;

export class SignInSheetQuery {
  @ApiPropertyOptional({
    minimum: 0,
    maximum: MAX_BLANK_LINES,
    default: 5,
    description: 'empty numbered lines at the end, for people who come without registering',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: `Le nombre de lignes libres est un nombre entier de 0 à ${MAX_BLANK_LINES}.` })
  @Min(0, { message: `Le nombre de lignes libres est un nombre entier de 0 à ${MAX_BLANK_LINES}.` })
  @Max(MAX_BLANK_LINES, { message: `Le nombre de lignes libres est un nombre entier de 0 à ${MAX_BLANK_LINES}.` })
  blankLines?: number;
}
