import { Controller, Get, Param, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { OptionalStaff } from '../auth/staff.guard';
import { Access } from '../bookings/booking-access.decorator';
import type { BookingAccess } from '../bookings/bookings.service';
import { PersonalData } from '../common/no-store';
import { ApiProblems } from '../common/problem.dto';
import { uuidPipe } from '../common/uuid.pipe';
import { AttestationFile, AttestationsService } from './attestations.service';

export function attestationDownload(file: AttestationFile): StreamableFile {
  return new StreamableFile(file.content, { type: file.contentType, disposition: `attachment; filename="${file.filename}"`, length: file.content.length });
}

@ApiTags('bookings')
@Controller('api')
export class AttestationsController {
  constructor(private readonly attestations: AttestationsService) {}

  @Get('bookings/:id/attestation.pdf')
  @PersonalData()
  @OptionalStaff()
  @ApiQuery({ name: 'token', required: false, description: 'manage token (or Authorization: Bearer <token>); staff: an admin or advisor’s access token' })
  @ApiProduces('application/pdf')
  @ApiOperation({
    summary:
      'The attendance certificate (attestation de présence, A4 PDF in French) of a workshop attendee marked present: the same bytes for the same data, a reference kept for the booking; a staff download is journalled',
  })
  @ApiOkResponse({ description: 'PDF', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } })
  @ApiProblems(400, 401, 403, 404, 422)
  async download(@Param('id', uuidPipe) id: string, @Access() access: BookingAccess) {
    return attestationDownload(await this.attestations.download(id, access));
  }
}
