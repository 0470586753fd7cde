import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { Staff } from '../auth/staff.guard';
import { ApiProblems } from '../common/problem.dto';
import { uuidPipe } from '../common/uuid.pipe';
import { OutboxMessageResponseDto, OutboxRetryAllResponseDto, OutboxRetryResponseDto } from './dto/outbox-response.dto';
import { OutboxAdminService } from './outbox-admin.service';

export class OutboxQuery {
  @IsOptional()
  @IsIn(['pending', 'sent', 'failed'], { message: 'status vaut pending, sent ou failed.' })
  status?: 'pending' | 'sent' | 'failed';
}

@ApiTags('admin')
@Controller('api/admin/outbox')
export class OutboxAdminController {
  constructor(private readonly outbox: OutboxAdminService) {}

  @Get()
  @Staff('admin')
  @ApiOperation({ summary: 'Messages by status (default: failed), newest first' })
  @ApiOkResponse({ type: [OutboxMessageResponseDto] })
  @ApiProblems(400)
  list(@Query() query: OutboxQuery) {
    return this.outbox.list(query.status ?? 'failed');
  }

  // Declared before ':id/retry' reads better; the paths cannot collide (a UUID is never 'retry-failed').
  @Post('retry-failed')
  @HttpCode(200)
  @Staff('admin')
  @ApiOperation({ summary: 'Put every failed message back in the queue with fresh attempts' })
  @ApiOkResponse({ type: OutboxRetryAllResponseDto })
  @ApiProblems()
  retryAllFailed() {
    return this.outbox.retryAllFailed();
  }

  @Post(':id/retry')
  @HttpCode(200)
  @Staff('admin')
  @ApiOperation({ summary: 'Put a failed message back in the queue with fresh attempts' })
  @ApiOkResponse({ type: OutboxRetryResponseDto })
  @ApiProblems(400, 404)
  retry(@Param('id', uuidPipe) id: string) {
    return this.outbox.retry(id);
  }
}
