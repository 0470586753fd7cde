import { Module } from '@nestjs/common';
import { AccountMails } from './account-mails';
import { OneTimeTokens } from '../accounts/one-time-tokens';
import { AuthModule } from '../auth/auth.module';
import { BookingsModule } from '../bookings/bookings.module';
import { MailComposer } from './mail-composer';
import { Mailer } from './mailer';
import { OutboxAdminController } from './outbox-admin.controller';
import { OutboxAdminService } from './outbox-admin.service';
import { OutboxDeliveryRepository } from './outbox-delivery.repository';
import { OutboxSender } from './outbox-sender.service';
import { SatisfactionModule } from '../satisfaction/satisfaction.module';

/** Delivery of the outbox: composing, sending with retries, reminders, and the admins' view of failures. */
@Module({
  imports: [AuthModule, BookingsModule, SatisfactionModule],
  controllers: [OutboxAdminController],
  providers: [Mailer, MailComposer, AccountMails, OneTimeTokens, OutboxDeliveryRepository, OutboxSender, OutboxAdminService],
  exports: [OutboxSender, OutboxAdminService],
})
export class MailModule {}
