import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AgendaModule } from '../agenda/agenda.module';
import { AttendanceModule } from '../attendance/attendance.module';
import { AttestationsModule } from '../attestations/attestations.module';
import { AuthModule } from '../auth/auth.module';
import { BilanModule } from '../bilan/bilan.module';
import { BookingsModule } from '../bookings/bookings.module';
import { PAGE_ERRORS } from '../common/problem.filter';
import { FeedsModule } from '../feeds/feeds.module';
import { FollowUpsModule } from '../follow-ups/follow-ups.module';
import { MailModule } from '../notifications/mail.module';
import { OrganisationsModule } from '../organisations/organisations.module';
import { PermanencesModule } from '../permanences/permanences.module';
import { PersonalDataModule } from '../personal-data/personal-data.module';
import { ReportsModule } from '../reports/reports.module';
import { SatisfactionModule } from '../satisfaction/satisfaction.module';
import { WorkshopsModule } from '../workshops/workshops.module';
import { PageErrorFilter } from './page-error.filter';
import { PageGuard } from './page.guard';
import { PublicPagesController } from './public-pages.controller';
import { StaffAccountPagesController } from './staff-account-pages.controller';
import { StaffAgendaPagesController } from './staff-agenda-pages.controller';
import { StaffFollowUpPagesController } from './staff-follow-up-pages.controller';
import { RegistrantsModule } from '../registrants/registrants.module';
import { StaffRegisterPagesController } from './staff-register-pages.controller';
import { StaffBookingCancelPagesController } from './staff-booking-cancel-pages.controller';
import { StaffSessionBookingsPagesController } from './staff-session-bookings-pages.controller';
import { StaffSheetPagesController } from './staff-sheet-pages.controller';
import { StaffAuthPagesController } from './staff-auth-pages.controller';
import { StaffJournalPagesController } from './staff-journal-pages.controller';
import { StaffMailPagesController } from './staff-mail-pages.controller';
import { StaffListPagesController } from './staff-list-pages.controller';
import { StaffSettingsPagesController } from './staff-settings-pages.controller';
import { StaffOrganisationPagesController } from './staff-organisation-pages.controller';
import { StaffPersonalDataPagesController } from './staff-personal-data-pages.controller';
import { StaffReportPagesController } from './staff-report-pages.controller';
import { StaffBilanPagesController } from './staff-bilan-pages.controller';
import { StaffSessionPagesController } from './staff-session-pages.controller';
import { StaffWorkshopPagesController } from './staff-workshop-pages.controller';
import { SatisfactionPagesController } from './satisfaction-pages.controller';
import { Views } from './views';
import { WebSession } from './web-session';

/**
 * The French pages. Controllers only: every rule lives in the services the API uses, and every
 * form goes through the API's DTOs.
 */
@Module({
  imports: [
    AuthModule,
    AccountsModule,
    BookingsModule,
    PermanencesModule,
    WorkshopsModule,
    AgendaModule,
    AttendanceModule,
    AttestationsModule,
    FollowUpsModule,
    OrganisationsModule,
    ReportsModule,
    BilanModule,
    FeedsModule,
    RegistrantsModule,
    MailModule,
    PersonalDataModule,
    SatisfactionModule,
  ],
  controllers: [
    PublicPagesController,
    StaffAuthPagesController,
    StaffAccountPagesController,
    StaffAgendaPagesController,
    StaffWorkshopPagesController,
    StaffSessionPagesController,
    StaffOrganisationPagesController,
    StaffReportPagesController,
    StaffBilanPagesController,
    StaffSheetPagesController,
    StaffRegisterPagesController,
    StaffSessionBookingsPagesController,
    StaffBookingCancelPagesController,
    StaffFollowUpPagesController,
    StaffMailPagesController,
    StaffJournalPagesController,
    StaffPersonalDataPagesController,
    StaffListPagesController,
    StaffSettingsPagesController,
    SatisfactionPagesController,
  ],
  providers: [Views, WebSession, PageGuard, PageErrorFilter, { provide: PAGE_ERRORS, useExisting: PageErrorFilter }],
  exports: [PAGE_ERRORS],
})
export class WebModule {}
