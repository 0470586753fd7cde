import { Controller, Get, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { AttestationsService } from '../attestations/attestations.service';
import type { StaffUser } from '../auth/staff-user';
import { uuidPipe } from '../common/uuid.pipe';
import type { DownloadFile } from '../registrants/registrants.export';
import { RegistrantsService } from '../registrants/registrants.service';
import { Pages, PageStaff, StaffPage } from './page.guard';

/** The downloads of the staff pages: a workshop's registrants, the sign-in sheets to print, and attendance certificates. */
@Controller('staff')
@Pages()
export class StaffSheetPagesController {
  constructor(
    private readonly registrants: RegistrantsService,
    private readonly attestations: AttestationsService,
  ) {}

  @Get('ateliers/:id/inscrits.csv')
  @StaffPage('admin', 'advisor')
  async workshopCsv(@Param('id', uuidPipe) id: string, @Res() response: Response) {
    send(response, await this.registrants.workshopList(id, 'csv'));
  }

  @Get('ateliers/:id/inscrits.xlsx')
  @StaffPage('admin', 'advisor')
  async workshopXlsx(@Param('id', uuidPipe) id: string, @Res() response: Response) {
    send(response, await this.registrants.workshopList(id, 'xlsx'));
  }

  @Get('ateliers/:id/emargement.pdf')
  @StaffPage('admin', 'advisor')
  async workshopSheet(@Param('id', uuidPipe) id: string, @Res() response: Response) {
    send(response, await this.registrants.workshopSheet(id));
  }

  /** For an attendee who asks the CRESS (often by phone): the same certificate as their own link gives, journalled. */
  @Get('ateliers/:id/inscriptions/:bookingId/attestation.pdf')
  @StaffPage('admin', 'advisor')
  async attestation(
    @Param('id', uuidPipe) id: string,
    @Param('bookingId', uuidPipe) bookingId: string,
    @PageStaff() staff: StaffUser,
    @Res() response: Response,
  ) {
    send(response, await this.attestations.download(bookingId, { token: null, staff }, id));
  }

  @Get('permanences/:id/emargement.pdf')
  @StaffPage('admin', 'advisor')
  async sessionSheet(@Param('id', uuidPipe) id: string, @PageStaff() staff: StaffUser, @Res() response: Response) {
    send(response, await this.registrants.sessionSheet(id, staff));
  }
}

function send(response: Response, file: DownloadFile): void {
  response.status(200).type(file.contentType).attachment(file.filename).send(file.content);
}
