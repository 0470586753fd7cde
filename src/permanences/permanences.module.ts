import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { BookingsModule } from '../bookings/bookings.module';
import { OutboxModule } from '../outbox/outbox.module';
import { PermanencesController } from './permanences.controller';
import { PermanencesRepository } from './permanences.repository';
import { PermanencesService } from './permanences.service';
import { SeriesService } from './series.service';
import { SessionExceptionsService } from './session-exceptions.service';
import { SessionGenerator } from './session-generator.service';

@Module({
  imports: [AuthModule, BookingsModule, OutboxModule],
  controllers: [PermanencesController],
  providers: [PermanencesRepository, PermanencesService, SessionExceptionsService, SeriesService, SessionGenerator],
  exports: [SessionGenerator, PermanencesService, SessionExceptionsService, SeriesService],
})
export class PermanencesModule {}
