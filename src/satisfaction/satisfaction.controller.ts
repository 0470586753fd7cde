import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { PersonalData } from '../common/no-store';
import { ApiProblems } from '../common/problem.dto';
import { uuidPipe } from '../common/uuid.pipe';
import { SatisfactionAnswerDto, SatisfactionOptOutDto, SatisfactionOptOutResponseDto, SatisfactionResponseDto } from './dto/satisfaction.dto';
import { SatisfactionService } from './satisfaction.service';

/** The satisfaction question's links, for the holder of the e-mail: no account, a signed token. */
@ApiTags('satisfaction')
@Controller('api/satisfaction')
export class SatisfactionController {
  constructor(private readonly satisfaction: SatisfactionService) {}

  @Get(':id')
  @PersonalData()
  @ApiOperation({ summary: 'The event asked about and the answer given so far; records nothing' })
  @ApiQuery({ name: 'token', description: 'the token of the answer link (`jeton` in the e-mailed address)' })
  @ApiOkResponse({ type: SatisfactionResponseDto })
  @ApiProblems(400, 410)
  get(@Param('id', uuidPipe) id: string, @Query('token') token?: string) {
    return this.satisfaction.view(id, typeof token === 'string' ? token : '');
  }

  @Post(':id')
  @HttpCode(200)
  @PersonalData()
  @ApiOperation({
    summary:
      'Gives or changes the answer (1–5) and the optional comment, until 30 days after the event; the token is used up and the answer carries the next one',
  })
  @ApiOkResponse({ type: SatisfactionResponseDto })
  @ApiProblems(400, 410)
  answer(@Param('id', uuidPipe) id: string, @Body() dto: SatisfactionAnswerDto) {
    return this.satisfaction.answer(id, dto.token, dto.score, dto.comment === null ? '' : dto.comment);
  }

  @Post(':id/opt-out')
  @HttpCode(200)
  @ApiOperation({ summary: 'No more satisfaction questions to the booking’s e-mail address (idempotent)' })
  @ApiOkResponse({ type: SatisfactionOptOutResponseDto })
  @ApiProblems(400, 410)
  optOut(@Param('id', uuidPipe) id: string, @Body() dto: SatisfactionOptOutDto) {
    return this.satisfaction.optOut(id, dto.token);
  }
}
