import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { RateLimitStoreModule } from '../common/rate-limits';
import { OutboxModule } from '../outbox/outbox.module';
import { AccountsService } from './accounts.service';
import { UsersService } from './users.service';
import { OneTimeTokens, OneTimeTokensRepository } from './one-time-tokens';
import { PasswordsController } from './passwords.controller';
import { PasswordsService } from './passwords.service';
import { UsersController } from './users.controller';

/** Staff accounts run by the CRESS team: first start, invitations, roles, passwords and their links. */
@Module({
  imports: [AuthModule, OutboxModule, RateLimitStoreModule],
  controllers: [UsersController, PasswordsController],
  providers: [AccountsService, UsersService, PasswordsService, OneTimeTokens, OneTimeTokensRepository],
  exports: [AccountsService, UsersService, PasswordsService, OneTimeTokens],
})
export class AccountsModule {}
