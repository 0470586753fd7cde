import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { OutboxModule } from '../outbox/outbox.module';
import { BookingsController } from './bookings.controller';
import { BookingsRepository } from './bookings.repository';
import { BookingsService } from './bookings.service';
import { IdempotencyRepository } from './idempotency.repository';
import { ManageTokens } from './manage-token';
import { WaitlistRepository } from './waitlist.repository';
import { WaitlistService } from './waitlist.service';

@Module({
  imports: [AuthModule, OutboxModule],
  controllers: [BookingsController],
  providers: [BookingsService, BookingsRepository, WaitlistService, WaitlistRepository, ManageTokens, IdempotencyRepository],
  exports: [BookingsService, BookingsRepository, WaitlistService, WaitlistRepository, ManageTokens, IdempotencyRepository],
})
export class BookingsModule {}
