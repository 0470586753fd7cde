import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { BilanModule } from '../bilan/bilan.module';
import { ReportsController } from './reports.controller';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';

@Module({
  imports: [AuthModule, BilanModule],
  controllers: [ReportsController],
  providers: [ReportsService, ReportsRepository],
  exports: [ReportsService],
})
export class ReportsModule {}
