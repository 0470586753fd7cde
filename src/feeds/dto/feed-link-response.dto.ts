import { ApiProperty } from '@nestjs/swagger';

export class FeedLinkResponseDto {
  @ApiProperty({ format: 'uri', example: 'https://rdv.example.org/calendar/advisors/…ics' })
  url: string;

  @ApiProperty({ format: 'uri', example: 'webcal://rdv.example.org/calendar/advisors/…ics', description: 'the same address, for calendar apps' })
  webcalUrl: string;
}
