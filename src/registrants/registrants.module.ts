import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { RegistrantsController } from './registrants.controller';
import { RegistrantsRepository } from './registrants.repository';
import { RegistrantsService } from './registrants.service';

@Module({
  imports: [AuthModule],
  controllers: [RegistrantsController],
  providers: [RegistrantsService, RegistrantsRepository],
  exports: [RegistrantsService],
})
export class RegistrantsModule {}
