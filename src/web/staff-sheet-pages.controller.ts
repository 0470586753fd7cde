import { Controller, Get, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { StaffUser } from '../auth/staff-user';
import { uuidPipe } from '../common/uuid.pipe';
import type { DownloadFile } from '../registrants/registrants.export';
import { RegistrantsService } from '../registrants/registrants.service';
import { Pages, PageStaff, StaffPage } from './page.guard';

/** The downloads of the staff pages: a workshop's registrants, and the sign-in sheets to print. */
@Controller('staff')
@Pages()
export class StaffSheetPagesController {
  constructor(private readonly registrants: RegistrantsService) {}

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

  @Get('permanences/:id/emargement.pdf')
  @StaffPage('admin', 'advisor')
  async sessionSheet(@Param('id', uuidPipe) id: string, @PageStaff() staff: StaffUser, @Res() response: Response) {
    send(response, await this.registrants.sessionSheet(id, staff));
  }
}

function send(response: Response, file: DownloadFile): void {
  response.status(200).type(file.contentType).attachment(file.filename).send(file.content);
}
