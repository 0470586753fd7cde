import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, MaxLength } from 'class-validator';
import { CurrentStaff, Staff } from '../auth/staff.guard';
import type { StaffUser } from '../auth/staff-user';
import { ApiProblems } from '../common/problem.dto';
import { trim } from '../common/validators';
import { PersonalDataErasureDto, PersonalDataErasurePreviewDto, PersonalDataExportDto } from './dto/personal-data-response.dto';
import { PersonalDataService } from './personal-data.service';

export class PersonEmailDto {
  @ApiProperty({ example: 'camille@asso-exemple.fr' })
  @Transform(trim)
  @IsEmail({}, { message: 'Adresse e-mail invalide.' })
  @MaxLength(254, { message: 'L’adresse e-mail est trop longue.' })
  @IsString({ message: 'L’adresse e-mail est requise.' })
  email: string;
}

@ApiTags('personal data')
@Controller('api/personal-data')
export class PersonalDataController {
  constructor(private readonly personalData: PersonalDataService) {}

  @Get()
  @Staff('admin')
  @ApiOperation({ summary: 'Everything held about one e-mail address: bookings (with consent time and version) and messages' })
  @ApiOkResponse({ type: PersonalDataExportDto })
  @ApiProblems(400)
  export(@Query() query: PersonEmailDto, @CurrentStaff() staff: StaffUser) {
    return this.personalData.export(query.email, staff);
  }

  @Get('erasure-preview')
  @Staff('admin')
  @ApiOperation({ summary: 'What erasing one e-mail address would do now: bookings cancelled, waitlist promotions, messages dropped' })
  @ApiOkResponse({ type: PersonalDataErasurePreviewDto })
  @ApiProblems(400)
  erasurePreview(@Query() query: PersonEmailDto) {
    return this.personalData.erasurePreview(query.email);
  }

  @Post('erase')
  @HttpCode(200)
  @Staff('admin')
  @ApiOperation({ summary: 'Forget one e-mail address: upcoming bookings cancelled, unsent messages dropped, everything anonymised' })
  @ApiOkResponse({ type: PersonalDataErasureDto })
  @ApiProblems(400)
  erase(@Body() dto: PersonEmailDto, @CurrentStaff() staff: StaffUser) {
    return this.personalData.erase(dto.email, staff);
  }
}
