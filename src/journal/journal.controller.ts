import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Staff } from '../auth/staff.guard';
import { ApiProblems } from '../common/problem.dto';
import { JournalPageDto, JournalQuery } from './dto/journal.dto';
import { JournalService } from './journal.service';

@ApiTags('admin')
@Controller('api/admin/journal')
export class JournalController {
  constructor(private readonly journal: JournalService) {}

  @Get()
  @Staff('admin')
  @ApiOperation({ summary: 'The journal of staff actions, newest first, 50 a page; filters: local dates (inclusive) and action' })
  @ApiOkResponse({ type: JournalPageDto })
  @ApiProblems(400)
  list(@Query() query: JournalQuery) {
    return this.journal.list(query);
  }
}
