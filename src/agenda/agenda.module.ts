import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { AgendaController } from './agenda.controller';
import { AgendaRepository } from './agenda.repository';
import { AgendaService } from './agenda.service';

@Module({
  imports: [AuthModule],
  controllers: [AgendaController],
  providers: [AgendaService, AgendaRepository],
  exports: [AgendaService],
})
export class AgendaModule {}
