import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsLocalDate } from '../../common/validators';
import { PROGRAMME_TIME_ZONE } from '../../calendar/time-zone';

export const BILAN_FORMATS = ['json', 'pdf', 'xlsx'] as const;
export type BilanFormat = (typeof BILAN_FORMATS)[number];

export class BilanQuery {
  @ApiPropertyOptional({
    example: '2027-01-01',
    description: `first local date (${PROGRAMME_TIME_ZONE}), inclusive (default: 1 January of to's year, or of this year)`,
  })
  @IsOptional()
  @IsLocalDate()
  from?: string;

  @ApiPropertyOptional({
    example: '2027-12-31',
    description: 'last local date, inclusive (default: 31 December of from’s year); at most five years after from',
  })
  @IsOptional()
  @IsLocalDate()
  to?: string;

  @ApiPropertyOptional({ enum: BILAN_FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(BILAN_FORMATS, { message: `Format inconnu ; valeurs possibles : ${BILAN_FORMATS.join(', ')}.` })
  format?: BilanFormat;
}
