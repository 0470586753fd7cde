import { Global, Module } from '@nestjs/common';
import { Clock } from './clock';
import { RequestLoad } from './request-load';

@Global()
@Module({
  providers: [Clock, RequestLoad],
  exports: [Clock, RequestLoad],
})
export class CommonModule {}
