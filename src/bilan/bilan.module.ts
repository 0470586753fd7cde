import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { BilanController } from './bilan.controller';
import { BilanRepository } from './bilan.repository';
import { BilanService } from './bilan.service';
import { ChartRenderer } from './chart-renderer';

@Module({
  imports: [AuthModule],
  controllers: [BilanController],
  providers: [BilanService, BilanRepository, ChartRenderer],
  exports: [BilanService],
})
export class BilanModule {}
