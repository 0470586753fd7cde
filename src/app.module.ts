import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { AccountsModule } from './accounts/accounts.module';
import { AgendaModule } from './agenda/agenda.module';
import { AttendanceModule } from './attendance/attendance.module';
import { AttestationsModule } from './attestations/attestations.module';
import { AuthModule } from './auth/auth.module';
import { BookingsModule } from './bookings/bookings.module';
import { CommonModule } from './common/common.module';
import { ProblemFilter } from './common/problem.filter';
import { RateLimitsModule } from './common/rate-limits';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { FeedsModule } from './feeds/feeds.module';
import { FollowUpsModule } from './follow-ups/follow-ups.module';
import { HealthController } from './health/health.controller';
import { JournalModule } from './journal/journal.module';
import { MailModule } from './notifications/mail.module';
import { OutboxModule } from './outbox/outbox.module';
import { OrganisationsModule } from './organisations/organisations.module';
import { PermanencesModule } from './permanences/permanences.module';
import { PersonalDataModule } from './personal-data/personal-data.module';
import { RegistrantsModule } from './registrants/registrants.module';
import { ReportsModule } from './reports/reports.module';
import { BilanModule } from './bilan/bilan.module';
import { SatisfactionModule } from './satisfaction/satisfaction.module';
import { SettingsModule } from './settings/settings.module';
import { TerritoryModule } from './territory/territory.module';
import { WebModule } from './web/web.module';
import { WorkshopsModule } from './workshops/workshops.module';

@Module({})
export class AppModule {
  static forConfig(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forConfig(config),
        CommonModule,
        RateLimitsModule,
        DatabaseModule,
        JournalModule,
        ScheduleModule.forRoot(),
        AuthModule,
        SettingsModule,
        TerritoryModule,
        OutboxModule,
        AccountsModule,
        BookingsModule,
        PermanencesModule,
        WorkshopsModule,
        MailModule,
        FeedsModule,
        AgendaModule,
        AttendanceModule,
        AttestationsModule,
        FollowUpsModule,
        OrganisationsModule,
        ReportsModule,
        BilanModule,
        RegistrantsModule,
        PersonalDataModule,
        SatisfactionModule,
        WebModule,
      ],
      controllers: [HealthController],
      providers: [{ provide: APP_FILTER, useClass: ProblemFilter }],
    };
  }
}
