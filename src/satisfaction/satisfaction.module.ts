import { Module } from '@nestjs/common';
import { SatisfactionController } from './satisfaction.controller';
import { SatisfactionLinks } from './satisfaction-links';
import { SatisfactionRepository } from './satisfaction.repository';
import { SatisfactionService } from './satisfaction.service';

/** The satisfaction question after an attended event: the due questions, the signed links, the answers. */
@Module({
  controllers: [SatisfactionController],
  providers: [SatisfactionService, SatisfactionRepository, SatisfactionLinks],
  exports: [SatisfactionService, SatisfactionLinks],
})
export class SatisfactionModule {}
