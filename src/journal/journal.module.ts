import { Global, Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { JournalController } from './journal.controller';
import { JournalRepository } from './journal.repository';
import { JournalService } from './journal.service';

/** Global: every capability that records staff actions injects JournalService without importing this module. */
@Global()
@Module({
  imports: [AuthModule],
  controllers: [JournalController],
  providers: [JournalService, JournalRepository],
  exports: [JournalService],
})
export class JournalModule {}
