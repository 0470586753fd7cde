import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../common/problem.dto';
import { CommuneResponseDto, CommunesQuery } from './dto/communes.dto';
import { Territory } from './territory';

@ApiTags('communes')
@Controller('api/communes')
export class CommunesController {
  constructor(private readonly territory: Territory) {}

  @Get()
  @ApiOperation({
    summary: 'The communes a postcode serves, by name, each in or out of the metropolis (Etalab data); an empty list for an unknown postcode',
  })
  @ApiOkResponse({ type: [CommuneResponseDto] })
  @ApiProblems(400)
  list(@Query() query: CommunesQuery): CommuneResponseDto[] {
    return this.territory.communesForPostcode(query.postcode);
  }
}
