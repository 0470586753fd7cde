import { ApiProperty } from '@nestjs/swagger';
import { OUTBOX_KINDS } from '../../outbox/outbox-message.entity';

export class OutboxMessageResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: OUTBOX_KINDS, description: 'which message' })
  kind: string;

  @ApiProperty({ format: 'email' })
  recipient: string;

  @ApiProperty({ type: String, nullable: true, format: 'uuid' })
  bookingId: string | null;

  @ApiProperty({ enum: ['pending', 'sent', 'failed'] })
  status: string;

  @ApiProperty()
  attempts: number;

  @ApiProperty({ type: String, nullable: true, description: 'the last delivery error, for a failed message' })
  lastError: string | null;

  @ApiProperty({ format: 'date-time', description: 'when the next attempt may be made' })
  availableAt: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  sentAt: string | null;
}

export class OutboxRetryResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: ['pending'] })
  status: string;
}

export class OutboxRetryAllResponseDto {
  @ApiProperty({ description: 'how many failed messages went back to the queue' })
  retried: number;

  @ApiProperty({ type: [String], format: 'uuid' })
  ids: string[];
}
