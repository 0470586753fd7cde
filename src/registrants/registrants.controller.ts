import { Controller, Get, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentStaff, Staff } from '../auth/staff.guard';
import type { StaffUser } from '../auth/staff-user';
import { ApiProblems } from '../common/problem.dto';
import { uuidPipe } from '../common/uuid.pipe';
import { RegistrantListQuery, SignInSheetQuery } from './dto/registrants.query';
import type { DownloadFile } from './registrants.export';
import { RegistrantsService } from './registrants.service';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function download(file: DownloadFile): StreamableFile {
  return new StreamableFile(file.content, { type: file.contentType, disposition: `attachment; filename="${file.filename}"`, length: file.content.length });
}

@ApiTags('registrants')
@Controller('api')
export class RegistrantsController {
  constructor(private readonly registrants: RegistrantsService) {}

  @Get('workshops/:id/registrants')
  @Staff('admin', 'advisor')
  @ApiProduces('text/csv', XLSX)
  @ApiOperation({ summary: 'A workshop’s registrants (confirmed, then the waitlist) as CSV or XLSX' })
  @ApiOkResponse({ description: 'the list', content: { 'text/csv': { schema: { type: 'string' } }, [XLSX]: { schema: { type: 'string', format: 'binary' } } } })
  @ApiProblems(400, 404)
  async workshopList(@Param('id', uuidPipe) id: string, @Query() query: RegistrantListQuery) {
    return download(await this.registrants.workshopList(id, query.format));
  }

  @Get('workshops/:id/sign-in-sheet')
  @Staff('admin', 'advisor')
  @ApiProduces('application/pdf')
  @ApiOperation({ summary: 'The workshop’s sign-in sheet (feuille d’émargement): A4 PDF, one line per confirmed registrant, empty lines for walk-ins' })
  @ApiOkResponse({ description: 'PDF', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } })
  @ApiProblems(400, 404)
  async workshopSheet(@Param('id', uuidPipe) id: string, @Query() query: SignInSheetQuery) {
    return download(await this.registrants.workshopSheet(id, query.blankLines));
  }

  @Get('permanences/:id/sign-in-sheet')
  @Staff('admin', 'advisor')
  @ApiProduces('application/pdf')
  @ApiOperation({ summary: 'A permanence day’s sign-in sheet: one line per confirmed booking (an advisor’s: their desk), empty lines for walk-ins' })
  @ApiOkResponse({ description: 'PDF', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } })
  @ApiProblems(400, 404)
  async sessionSheet(@Param('id', uuidPipe) id: string, @Query() query: SignInSheetQuery, @CurrentStaff() staff: StaffUser) {
    return download(await this.registrants.sessionSheet(id, staff, query.blankLines));
  }
}
