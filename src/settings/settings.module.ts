import { Global, Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ListsController } from './lists.controller';
import { ListsRepository } from './lists.repository';
import { ListsService } from './lists.service';
import { SettingsController } from './settings.controller';
import { SettingsRepository } from './settings.repository';
import { SettingsService } from './settings.service';

/** Read by bookings, mails, reports and pages alike, hence global. */
@Global()
@Module({
  imports: [AuthModule],
  controllers: [ListsController, SettingsController],
  providers: [ListsService, ListsRepository, SettingsService, SettingsRepository],
  exports: [ListsService, SettingsService],
})
export class SettingsModule {}
