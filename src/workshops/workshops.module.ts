import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { BookingsModule } from '../bookings/bookings.module';
import { WorkshopsController } from './workshops.controller';
import { WorkshopsRepository } from './workshops.repository';
import { WorkshopsService } from './workshops.service';

@Module({
  imports: [AuthModule, BookingsModule],
  controllers: [WorkshopsController],
  providers: [WorkshopsService, WorkshopsRepository],
  exports: [WorkshopsService],
})
export class WorkshopsModule {}
