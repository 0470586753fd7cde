import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { AttestationsController } from './attestations.controller';
import { AttestationsRepository } from './attestations.repository';
import { AttestationsService } from './attestations.service';

@Module({
  imports: [AuthModule],
  controllers: [AttestationsController],
  providers: [AttestationsService, AttestationsRepository],
  exports: [AttestationsService],
})
export class AttestationsModule {}
