import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { FeedTokens } from './feed-tokens';
import { FeedsController } from './feeds.controller';
import { FeedsRepository } from './feeds.repository';
import { FeedsService } from './feeds.service';
import { PublicFeedChanges } from './public-feed-changes';

@Module({
  imports: [AuthModule],
  controllers: [FeedsController],
  providers: [FeedsService, FeedsRepository, FeedTokens, PublicFeedChanges],
  exports: [FeedsService],
})
export class FeedsModule {}
