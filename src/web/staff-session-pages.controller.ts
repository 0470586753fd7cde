import { Controller } from '@nestjs/common';
import { Pages } from './page.guard';

// Placeholder: this controller's pages are being written.
@Controller('staff')
@Pages()
export class StaffSessionPagesController {}
