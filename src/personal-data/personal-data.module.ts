import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { BookingsModule } from '../bookings/bookings.module';
import { PersonalDataController } from './personal-data.controller';
import { PersonalDataRepository } from './personal-data.repository';
import { PersonalDataService } from './personal-data.service';

@Module({
  imports: [AuthModule, BookingsModule],
  controllers: [PersonalDataController],
  providers: [PersonalDataService, PersonalDataRepository],
  exports: [PersonalDataService],
})
export class PersonalDataModule {}
