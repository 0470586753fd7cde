import { Global, Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ListsController } from './lists.controller';
import { ListsRepository } from './lists.repository';
import { ListsService } from './lists.service';

/** Read by bookings, mails, reports and pages alike, hence global. */
@Global()
@Module({
  imports: [AuthModule],
  controllers: [ListsController],
  providers: [ListsService, ListsRepository],
  exports: [ListsService],
})
export class SettingsModule {}
