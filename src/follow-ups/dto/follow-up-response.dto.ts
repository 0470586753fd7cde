import { ApiProperty } from '@nestjs/swagger';

export class FollowUpPersonDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ type: String, nullable: true, description: 'null once the account is deleted' })
  name: string | null;
}

export class FollowUpOrientationDto {
  @ApiProperty({ example: 'dla' })
  code: string;

  @ApiProperty({ example: 'Dispositif local d’accompagnement (DLA)', description: 'an archived entry keeps its label' })
  label: string;
}

/** A booking's follow-up, for the staff who may read it (admins, the advisor of the booking’s desk, the advisor it is for). */
export class FollowUpResponseDto {
  @ApiProperty({ format: 'uuid' })
  bookingId: string;

  @ApiProperty({ type: String, nullable: true, description: 'null when none was written, or once erased or anonymised' })
  note: string | null;

  @ApiProperty({ type: () => [FollowUpOrientationDto] })
  orientations: FollowUpOrientationDto[];

  @ApiProperty({ type: String, nullable: true, example: '2027-01-15', description: 'local date of the follow-up to do' })
  followUpOn: string | null;

  @ApiProperty({ type: () => FollowUpPersonDto, nullable: true, description: 'whose agenda shows the follow-up to do' })
  followUpAdvisor: FollowUpPersonDto | null;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  followUpDoneAt: string | null;

  @ApiProperty({ type: () => FollowUpPersonDto, nullable: true })
  createdBy: FollowUpPersonDto | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: () => FollowUpPersonDto, nullable: true })
  updatedBy: FollowUpPersonDto | null;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}
