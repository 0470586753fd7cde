import { Module } from '@nestjs/common';
import { AgendaModule } from '../agenda/agenda.module';
import { AttendanceModule } from '../attendance/attendance.module';
import { AuthModule } from '../auth/auth.module';
import { BookingsModule } from '../bookings/bookings.module';
import { PAGE_ERRORS } from '../common/problem.filter';
import { FeedsModule } from '../feeds/feeds.module';
import { OrganisationsModule } from '../organisations/organisations.module';
import { PermanencesModule } from '../permanences/permanences.module';
import { ReportsModule } from '../reports/reports.module';
import { WorkshopsModule } from '../workshops/workshops.module';
import { PageErrorFilter } from './page-error.filter';
import { PageGuard } from './page.guard';
import { PublicPagesController } from './public-pages.controller';
import { StaffAgendaPagesController } from './staff-agenda-pages.controller';
import { StaffAuthPagesController } from './staff-auth-pages.controller';
import { StaffListPagesController } from './staff-list-pages.controller';
import { StaffSettingsPagesController } from './staff-settings-pages.controller';
import { StaffOrganisationPagesController } from './staff-organisation-pages.controller';
import { StaffReportPagesController } from './staff-report-pages.controller';
import { StaffSessionPagesController } from './staff-session-pages.controller';
import { StaffWorkshopPagesController } from './staff-workshop-pages.controller';
import { Views } from './views';
import { WebSession } from './web-session';

/**
 * The French pages. Controllers only: every rule lives in the services the API uses, and every
 * form goes through the API's DTOs.
 */
@Module({
  imports: [AuthModule, BookingsModule, PermanencesModule, WorkshopsModule, AgendaModule, AttendanceModule, OrganisationsModule, ReportsModule, FeedsModule],
  controllers: [
    PublicPagesController,
    StaffAuthPagesController,
    StaffAgendaPagesController,
    StaffWorkshopPagesController,
    StaffSessionPagesController,
    StaffOrganisationPagesController,
    StaffReportPagesController,
    StaffListPagesController,
    StaffSettingsPagesController,
  ],
  providers: [Views, WebSession, PageGuard, PageErrorFilter, { provide: PAGE_ERRORS, useExisting: PageErrorFilter }],
  exports: [PAGE_ERRORS],
})
export class WebModule {}
