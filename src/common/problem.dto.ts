import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ERROR_CODES } from './domain-error';

export class FieldChoiceDto {
  @ApiProperty({ example: '42059', description: 'INSEE code of the commune' })
  code: string;

  @ApiProperty({ example: 'Chazelles-sur-Lyon' })
  name: string;

  @ApiProperty({ description: 'whether the commune belongs to the metropolis' })
  inMetropolis: boolean;
}

export class FieldErrorDto {
  @ApiProperty({ example: 'attendee.email' })
  field: string;

  @ApiProperty({ example: 'Adresse e-mail invalide.' })
  message: string;

  @ApiPropertyOptional({
    type: () => [FieldChoiceDto],
    description: 'the values to choose from, when the field must be one of them (organisation.communeCode: the communes of the postcode)',
  })
  choices?: FieldChoiceDto[];
}

/** The RFC 9457 body ProblemFilter writes for every error. */
export class ProblemDto {
  @ApiProperty({ example: 'urn:rendez-vous-ess:problem:validation_failed' })
  type: string;

  @ApiProperty({ example: 'Validation failed', description: 'English, fixed for each code' })
  title: string;

  @ApiProperty({ example: 400 })
  status: number;

  @ApiProperty({ example: 'Certains champs sont invalides.', description: 'French, for the person' })
  detail: string;

  @ApiProperty({ enum: ERROR_CODES, enumName: 'ErrorCode', description: 'stable machine word' })
  code: string;

  @ApiPropertyOptional({ type: () => [FieldErrorDto], description: 'each invalid field, when the request was refused for its fields' })
  errors?: FieldErrorDto[];
}

const MEANINGS: Record<number, string> = {
  400: 'Invalid request: the fields in error are listed in `errors`',
  401: 'Credentials required or not valid',
  403: 'The role does not allow this',
  404: 'Not found',
  409: 'Conflict with the current state (full, already booked, taken)',
  413: 'Request body too large',
  422: 'Refused by a rule (in the past, cancelled, not open…)',
  429: 'Too many requests',
};

/** The problem+json answers a route can give, each with its status. */
export function ApiProblems(...statuses: number[]) {
  return applyDecorators(
    ApiExtraModels(ProblemDto),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: MEANINGS[status] ?? 'Error',
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDto) } } },
      }),
    ),
  );
}
