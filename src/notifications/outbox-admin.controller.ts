import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { Staff } from '../auth/staff.guard';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { ApiProblems } from '../common/problem.dto';
import { uuidPipe } from '../common/uuid.pipe';
import { OutboxMessageResponseDto, OutboxRetryResponseDto } from './dto/outbox-response.dto';
import { OutboxDeliveryRepository } from './outbox-delivery.repository';

export class OutboxQuery {
  @IsOptional()
  @IsIn(['pending', 'sent', 'failed'], { message: 'status vaut pending, sent ou failed.' })
  status?: 'pending' | 'sent' | 'failed';
}

@ApiTags('admin')
@Controller('api/admin/outbox')
export class OutboxAdminController {
  constructor(
    private readonly outbox: OutboxDeliveryRepository,
    private readonly clock: Clock,
  ) {}

  @Get()
  @Staff('admin')
  @ApiOperation({ summary: 'Messages by status (default: failed), newest first' })
  @ApiOkResponse({ type: [OutboxMessageResponseDto] })
  @ApiProblems(400)
  list(@Query() query: OutboxQuery) {
    return this.outbox.list(query.status ?? 'failed', 200);
  }

  @Post(':id/retry')
  @HttpCode(200)
  @Staff('admin')
  @ApiOperation({ summary: 'Put a failed message back in the queue with fresh attempts' })
  @ApiOkResponse({ type: OutboxRetryResponseDto })
  @ApiProblems(400, 404)
  async retry(@Param('id', uuidPipe) id: string) {
    if (!(await this.outbox.retry(id, this.clock.now()))) throw new DomainError('not_found', 'Aucun message en échec ne porte cet identifiant.');
    return { id, status: 'pending' };
  }
}
